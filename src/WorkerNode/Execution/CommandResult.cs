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

    /// <summary>Output that could not be written to its log file or descriptor; empty when all of it was.</summary>
    public IReadOnlyList<OutputLoss> OutputLost { get; init; } = [];
}
