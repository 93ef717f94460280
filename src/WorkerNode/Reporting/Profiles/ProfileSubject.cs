namespace WorkerNode.Reporting.Profiles;

/// <summary>Which task a profile is of, and where it ran: the identity part of its header.</summary>
/// <param name="Mode">"run", "server" or "queue".</param>
/// <param name="Task">The task's name.</param>
/// <param name="Node">The node's name.</param>
/// <param name="Scheduler">The scheduler's name in lower case ("slurm", "local", ...).</param>
public sealed record ProfileSubject(string Mode, string Task, string Node, string Scheduler)
{
    public string? Template { get; init; }

    public string? Command { get; init; }

    public long? TaskInstanceId { get; init; }

    public long? TaskId { get; init; }

    public long? WorkflowId { get; init; }

    public long? WorkflowRunId { get; init; }

    public string? DistributorId { get; init; }

    public long? ArrayStepId { get; init; }
}
