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

    /// <summary>Output that could not be written to its file or descriptor (bytes and why); null when all of it was.</summary>
    [JsonPropertyName("output_lost")]
    public IReadOnlyList<Execution.OutputLoss>? OutputLost { get; init; }

    [JsonPropertyName("stdout_tail")]
    public required string StdoutTail { get; init; }

    [JsonPropertyName("stderr_tail")]
    public required string StderrTail { get; init; }

    /// <summary>Why the worker stopped the command ("outside_signal", "memory_limit", ...); null when it ended by itself.</summary>
    [JsonPropertyName("stopped_by")]
    public string? StoppedBy { get; init; }

    /// <summary>"memory" or "time" when the command went over a limit (a kernel OOM kill counts as memory); else null.</summary>
    [JsonPropertyName("limit_exceeded")]
    public string? LimitExceeded { get; init; }

    // Usage of the whole process tree; null when no command ran. See docs/limits-and-usage.md.
    [JsonPropertyName("cpu_user_s")]
    public double? CpuUserSeconds { get; init; }

    [JsonPropertyName("cpu_system_s")]
    public double? CpuSystemSeconds { get; init; }

    [JsonPropertyName("maxrss_bytes")]
    public long? MaxRssBytes { get; init; }

    /// <summary>Null unless PSS is measured (memory_metric pss).</summary>
    [JsonPropertyName("maxpss_bytes")]
    public long? MaxPssBytes { get; init; }

    /// <summary>Bytes read from storage (read_bytes).</summary>
    [JsonPropertyName("io_read_bytes")]
    public long? IoReadBytes { get; init; }

    /// <summary>Bytes written to storage (write_bytes).</summary>
    [JsonPropertyName("io_write_bytes")]
    public long? IoWriteBytes { get; init; }

    /// <summary>Bytes passed to read(2) and its kin, page cache and pipes included (rchar).</summary>
    [JsonPropertyName("io_rchar_bytes")]
    public long? IoRcharBytes { get; init; }

    /// <summary>Bytes passed to write(2) and its kin (wchar).</summary>
    [JsonPropertyName("io_wchar_bytes")]
    public long? IoWcharBytes { get; init; }

    [JsonPropertyName("max_processes")]
    public int? MaxProcesses { get; init; }

    /// <summary>The peak of the worker's memory cgroup (all of its processes and page cache); null without a readable cgroup.</summary>
    [JsonPropertyName("cgroup_peak_bytes")]
    public long? CgroupPeakBytes { get; init; }

    /// <summary>Kernel OOM kills in the worker's memory cgroup while the command ran; null when they cannot be counted.</summary>
    [JsonPropertyName("kernel_oom_kills")]
    public long? KernelOomKills { get; init; }
}
