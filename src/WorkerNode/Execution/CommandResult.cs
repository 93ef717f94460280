namespace WorkerNode.Execution;

/// <summary>Everything known about a command once it and its whole process tree have ended.</summary>
public sealed record CommandResult(
    ExitStatus Status,
    StopRequest? StoppedBy,
    DateTimeOffset StartedAt,
    DateTimeOffset EndedAt,
    string StdoutTail,
    string StderrTail)
{
    public TimeSpan Wallclock => EndedAt - StartedAt;
}
