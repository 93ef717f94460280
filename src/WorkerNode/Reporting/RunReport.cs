using System.Text.Json.Serialization;

namespace WorkerNode.Reporting;

/// <summary>The JSON report of a standalone run (<c>worker-node run --report FILE</c>).</summary>
public sealed record RunReport
{
    [JsonPropertyName("command")]
    public required IReadOnlyList<string> Command { get; init; }

    [JsonPropertyName("exit_code")]
    public int? ExitCode { get; init; }

    /// <summary>The signal that killed the command, e.g. "SIGKILL"; null when it exited.</summary>
    [JsonPropertyName("signal")]
    public string? Signal { get; init; }

    [JsonPropertyName("started_at")]
    public required DateTimeOffset StartedAt { get; init; }

    [JsonPropertyName("ended_at")]
    public required DateTimeOffset EndedAt { get; init; }

    [JsonPropertyName("wallclock_s")]
    public required double WallclockSeconds { get; init; }

    [JsonPropertyName("stdout_tail")]
    public required string StdoutTail { get; init; }

    [JsonPropertyName("stderr_tail")]
    public required string StderrTail { get; init; }

    /// <summary>Why the worker stopped the command ("outside_signal", "memory_limit", ...); null when it ended by itself.</summary>
    [JsonPropertyName("stopped_by")]
    public string? StoppedBy { get; init; }
}
