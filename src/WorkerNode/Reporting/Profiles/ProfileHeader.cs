using System.Text.Json.Serialization;

namespace WorkerNode.Reporting.Profiles;

/// <summary>
/// The first line of a profile file (docs/profile-format.md): which task ran where, what it asked for, what was
/// enforced, how it ended and what it used in total. Every later line is a <see cref="ProfileRow"/>.
/// </summary>
public sealed record ProfileHeader
{
    /// <summary>The value of <see cref="Format"/> in every profile.</summary>
    public const string FormatName = "worker-node-profile";

    /// <summary>The version this worker writes; a reader accepts this one and refuses later ones.</summary>
    public const int CurrentVersion = 1;

    [JsonPropertyName("format")]
    [JsonRequired]
    public string Format { get; init; } = FormatName;

    [JsonPropertyName("version")]
    [JsonRequired]
    public int Version { get; init; } = CurrentVersion;

    /// <summary>"run", "server" or "queue".</summary>
    [JsonPropertyName("mode")]
    public required string Mode { get; init; }

    /// <summary>The task's name (server: the task instance's name; run: the program's file name; queue: the item id).</summary>
    [JsonPropertyName("task")]
    public required string Task { get; init; }

    /// <summary>What runs of the same kind share, for right-sizing hints; null lets the report derive it from the name.</summary>
    [JsonPropertyName("template")]
    public string? Template { get; init; }

    [JsonPropertyName("command")]
    public string? Command { get; init; }

    [JsonPropertyName("task_instance_id")]
    public long? TaskInstanceId { get; init; }

    [JsonPropertyName("task_id")]
    public long? TaskId { get; init; }

    [JsonPropertyName("workflow_id")]
    public long? WorkflowId { get; init; }

    [JsonPropertyName("workflow_run_id")]
    public long? WorkflowRunId { get; init; }

    [JsonPropertyName("node")]
    public required string Node { get; init; }

    /// <summary>"slurm", "uge", "pbs", "lsf", "local", ...</summary>
    [JsonPropertyName("scheduler")]
    public required string Scheduler { get; init; }

    /// <summary>The scheduler's job id (the worker's pid when run locally).</summary>
    [JsonPropertyName("distributor_id")]
    public string? DistributorId { get; init; }

    [JsonPropertyName("array_step_id")]
    public long? ArrayStepId { get; init; }

    /// <summary>Memory the scheduler granted (before the worker's margin); null when it does not say.</summary>
    [JsonPropertyName("requested_memory_bytes")]
    public long? RequestedMemoryBytes { get; init; }

    /// <summary>The scheduler's time limit for the job, in seconds; null when it does not say.</summary>
    [JsonPropertyName("requested_time_s")]
    public double? RequestedTimeSeconds { get; init; }

    /// <summary>Cores the scheduler granted; null when it does not say.</summary>
    [JsonPropertyName("requested_cores")]
    public int? RequestedCores { get; init; }

    /// <summary>The memory limit the worker enforced; null when none.</summary>
    [JsonPropertyName("memory_limit_bytes")]
    public long? MemoryLimitBytes { get; init; }

    [JsonPropertyName("memory_limit_source")]
    public string? MemoryLimitSource { get; init; }

    /// <summary>The time limit the worker enforced, in seconds; null when none.</summary>
    [JsonPropertyName("time_limit_s")]
    public double? TimeLimitSeconds { get; init; }

    [JsonPropertyName("time_limit_source")]
    public string? TimeLimitSource { get; init; }

    /// <summary>"rss" or "pss": what the memory limit was compared with.</summary>
    [JsonPropertyName("memory_metric")]
    public required string MemoryMetric { get; init; }

    [JsonPropertyName("started_at")]
    public required DateTimeOffset StartedAt { get; init; }

    [JsonPropertyName("ended_at")]
    public required DateTimeOffset EndedAt { get; init; }

    [JsonPropertyName("wall_s")]
    public required double WallSeconds { get; init; }

    /// <summary>"done", "error", "memory_limit", "time_limit" or "stopped" (see docs/profile-format.md).</summary>
    [JsonPropertyName("status")]
    public required string Status { get; init; }

    [JsonPropertyName("exit_code")]
    public int? ExitCode { get; init; }

    [JsonPropertyName("signal")]
    public string? Signal { get; init; }

    /// <summary>Why the worker stopped the command ("memory_limit", "outside_signal", ...); null when it ended by itself.</summary>
    [JsonPropertyName("stop_reason")]
    public string? StopReason { get; init; }

    [JsonPropertyName("cpu_user_s")]
    public double? CpuUserSeconds { get; init; }

    [JsonPropertyName("cpu_system_s")]
    public double? CpuSystemSeconds { get; init; }

    [JsonPropertyName("max_rss_bytes")]
    public long? MaxRssBytes { get; init; }

    [JsonPropertyName("max_pss_bytes")]
    public long? MaxPssBytes { get; init; }

    [JsonPropertyName("cgroup_peak_bytes")]
    public long? CgroupPeakBytes { get; init; }

    [JsonPropertyName("max_processes")]
    public int? MaxProcesses { get; init; }

    [JsonPropertyName("read_bytes")]
    public long? ReadBytes { get; init; }

    [JsonPropertyName("write_bytes")]
    public long? WriteBytes { get; init; }

    [JsonPropertyName("sample_interval_s")]
    public required double SampleIntervalSeconds { get; init; }

    /// <summary>Samples taken; more than <see cref="Rows"/> when the profile was downsampled.</summary>
    [JsonPropertyName("samples")]
    public required int Samples { get; init; }

    /// <summary>Sample rows that follow this line.</summary>
    [JsonPropertyName("rows")]
    public required int Rows { get; init; }

    /// <summary>Samples per row (1 unless downsampled; then each row holds its interval's peaks).</summary>
    [JsonPropertyName("samples_per_row")]
    public required int SamplesPerRow { get; init; }
}
