namespace WorkerNode.Jobmon;

/// <summary>
/// The one final report of a task instance: log_done when <see cref="ErrorState"/> is null,
/// otherwise log_error_worker_node with that state (E, Z or F) and description.
/// </summary>
public sealed record FinalReport(
    TaskInstanceStatus? ErrorState,
    string? ErrorDescription,
    string Stdout,
    string Stderr,
    string StdoutTail,
    string StderrTail,
    string Nodename,
    string? DistributorId,
    UsageFields? Usage)
{
    /// <summary>The status the server should move the instance to.</summary>
    public TaskInstanceStatus TargetStatus => ErrorState ?? TaskInstanceStatus.Done;
}
