using WorkerNode.Logging;

namespace WorkerNode.Configuration;

/// <summary>The <c>worker_node</c> section: process control, limits, sampling, spool, logging.</summary>
public sealed record WorkerNodeSettings
{
    /// <summary>Grace between the polite signal (SIGINT/SIGTERM) and SIGKILL.</summary>
    public TimeSpan CommandInterruptTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Wall-clock limit set explicitly (flag, variable or file); null when not set.</summary>
    public TimeSpan? TimeLimit { get; init; }

    /// <summary>Memory limit in bytes set explicitly; null when not set.</summary>
    public long? MemoryLimitBytes { get; init; }

    /// <summary>Derive limits from the scheduler's allocation; null means the mode's default (on in server mode).</summary>
    public bool? LimitsFromScheduler { get; init; }

    /// <summary>Fraction of the scheduler's memory allocation kept as a safety margin.</summary>
    public double MemoryMargin { get; init; } = 0.05;

    /// <summary>Time kept before the scheduler's end time.</summary>
    public TimeSpan TimeMargin { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Under Grid Engine, pass -notify's SIGUSR1/SIGUSR2 on to the command (for a command that traps them)
    /// instead of acting on them: SIGUSR2 a stop, SIGUSR1 a suspension of the command.
    /// </summary>
    public bool ForwardNotifySignals { get; init; }

    public MemoryMetric MemoryMetric { get; init; } = MemoryMetric.Rss;

    /// <summary>Time between usage samples of the command's process tree.</summary>
    public TimeSpan SampleInterval { get; init; } = TimeSpan.FromSeconds(1);

    public LostServerPolicy OnLostServer { get; init; } = LostServerPolicy.Stop;

    /// <summary>Directory for final reports that could not be delivered; null means the per-user default.</summary>
    public string? SpoolDir { get; init; }

    /// <summary>Directory for per-task resource profiles (server and queue mode); null keeps none.</summary>
    public string? MetricsDir { get; init; }

    public LogLevel LogLevel { get; init; } = LogLevel.Info;

    public LogFormat LogFormat { get; init; } = LogFormat.Text;

    /// <summary>Where the worker's own log goes; null means the mode's default (stdout in server mode, else stderr).</summary>
    public LogDestination? LogOutput { get; init; }
}
