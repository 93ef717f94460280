namespace WorkerNode.Harness.State;

/// <summary>Everything the harness knows about one task instance, as the admin API shows it.</summary>
public sealed record TaskInstanceDetails(
    long Id,
    string Status,
    string Name,
    string Command,
    string StdoutDir,
    string StderrDir,
    long WorkflowRunId,
    long TaskId,
    long WorkflowId,
    long? ArrayId,
    long? BatchNumber,
    long? ArrayStepId,
    string? Nodename,
    string? ProcessGroupId,
    string? DistributorId,
    double? NextReportIncrement,
    DateTimeOffset? ReportBy,
    int HeartbeatCount,
    string? Stdout,
    string? Stderr,
    string? StdoutLog,
    string? StderrLog,
    IReadOnlyList<StatusChange> StatusHistory,
    IReadOnlyList<ErrorLogEntry> ErrorLog,
    IReadOnlyList<RecordedRequest> Requests);
