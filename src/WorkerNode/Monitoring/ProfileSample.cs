namespace WorkerNode.Monitoring;

/// <summary>
/// One row of a task's resource profile: the process tree at <paramref name="ElapsedSeconds"/>, or, once the
/// profile has been downsampled, the peaks of the interval that ends there.
/// </summary>
/// <param name="ElapsedSeconds">Seconds since the command started (the end of the row's interval).</param>
/// <param name="RssBytes">Sum of the tree's resident set sizes (the interval's peak).</param>
/// <param name="PssBytes">Sum of the tree's proportional set sizes (peak); null unless PSS is measured.</param>
/// <param name="CgroupBytes">The memory cgroup's usage (peak); null without a readable cgroup.</param>
/// <param name="CpuPercent">CPU of the whole tree since the previous sample, 100 = one core busy (peak).</param>
/// <param name="Processes">Live processes in the tree (peak).</param>
/// <param name="ReadBytes">Bytes read from storage so far (a running total).</param>
/// <param name="WriteBytes">Bytes written to storage so far (a running total).</param>
public readonly record struct ProfileSample(
    double ElapsedSeconds,
    long RssBytes,
    long? PssBytes,
    long? CgroupBytes,
    double CpuPercent,
    int Processes,
    long ReadBytes,
    long WriteBytes)
{
    /// <summary>The peaks of two neighbouring rows, timed at the later one; running totals are the later one's.</summary>
    public static ProfileSample Merge(ProfileSample earlier, ProfileSample later) => new(
        Math.Max(earlier.ElapsedSeconds, later.ElapsedSeconds),
        Math.Max(earlier.RssBytes, later.RssBytes),
        MaxOf(earlier.PssBytes, later.PssBytes),
        MaxOf(earlier.CgroupBytes, later.CgroupBytes),
        Math.Max(earlier.CpuPercent, later.CpuPercent),
        Math.Max(earlier.Processes, later.Processes),
        Math.Max(earlier.ReadBytes, later.ReadBytes),
        Math.Max(earlier.WriteBytes, later.WriteBytes));

    private static long? MaxOf(long? left, long? right) =>
        left is { } l ? (right is { } r ? Math.Max(l, r) : l) : right;
}
