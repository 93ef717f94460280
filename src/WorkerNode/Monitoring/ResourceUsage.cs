namespace WorkerNode.Monitoring;

/// <summary>What the command's process tree used: while it runs (figures so far), or once it has ended.</summary>
public sealed record ResourceUsage
{
    public required TimeSpan Wallclock { get; init; }

    public required TimeSpan CpuUser { get; init; }

    public required TimeSpan CpuSystem { get; init; }

    public TimeSpan Cpu => CpuUser + CpuSystem;

    /// <summary>The larger of the highest sampled sum of the tree's RSS and the kernel's peak RSS of any reaped process.</summary>
    public required long MaxRssBytes { get; init; }

    /// <summary>The highest sampled sum of the tree's PSS; null unless PSS is measured (memory_metric pss).</summary>
    public long? MaxPssBytes { get; init; }

    public required IoCounters Io { get; init; }

    /// <summary>The most processes alive in the tree at one sample.</summary>
    public required int MaxProcesses { get; init; }

    /// <summary>How many times the tree was sampled.</summary>
    public required int Samples { get; init; }

    /// <summary>The worker's memory cgroup, when one could be read.</summary>
    public CgroupUsage? Cgroup { get; init; }

    /// <summary>True when the cgroup's counter shows the kernel's OOM killer struck while the command ran.</summary>
    public bool KernelOomKill => Cgroup?.OomKills > 0;
}
