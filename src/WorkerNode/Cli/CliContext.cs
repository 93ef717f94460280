using WorkerNode.Jobmon.Transport;
using WorkerNode.Logging;

namespace WorkerNode.Cli;

/// <summary>What every command needs from the process: its environment, clock and error stream.</summary>
/// <param name="Environment">The worker's environment variables.</param>
/// <param name="Time">The clock.</param>
/// <param name="Error">Where one-line errors go (stderr).</param>
public sealed record CliContext(IReadOnlyDictionary<string, string> Environment, TimeProvider Time, TextWriter Error)
{
    /// <summary>The never-blocking writers of stdout and stderr that the log uses (flushed, bounded, at exit).</summary>
    public LogOutputs Outputs { get; init; } = new();

    /// <summary>The HTTP machinery of a server command, already being built when the command line names one.</summary>
    internal Task<JobmonTransport>? Transport { get; init; }

    /// <summary>Set by a run whose command died of a signal: the worker ends by the same signal once all is reported.</summary>
    internal SignalExit EndBySignal { get; } = new();
}
