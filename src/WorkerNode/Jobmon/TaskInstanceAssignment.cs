namespace WorkerNode.Jobmon;

/// <summary>What log_running answers: the task instance row, including the command to run.</summary>
public sealed record TaskInstanceAssignment(
    long TaskInstanceId,
    TaskInstanceStatus Status,
    long WorkflowRunId,
    long TaskId,
    string Name,
    string Command,
    long WorkflowId,
    string StdoutDir,
    string StderrDir);
