namespace WorkerNode.Monitoring;

/// <summary>
/// The byte counters of /proc/PID/io: <see cref="ReadBytes"/> and <see cref="WriteBytes"/> reached the storage
/// layer (what the kernel's rusage counts in blocks); <see cref="Rchar"/> and <see cref="Wchar"/> passed through
/// read(2) and write(2) and their kin, page cache, pipes and terminals included.
/// </summary>
public readonly record struct IoCounters(long ReadBytes, long WriteBytes, long Rchar, long Wchar)
{
    public static IoCounters operator +(IoCounters left, IoCounters right) => new(
        left.ReadBytes + right.ReadBytes,
        left.WriteBytes + right.WriteBytes,
        left.Rchar + right.Rchar,
        left.Wchar + right.Wchar);

    /// <summary>Counter by counter, the larger of the two.</summary>
    public static IoCounters Max(IoCounters left, IoCounters right) => new(
        Math.Max(left.ReadBytes, right.ReadBytes),
        Math.Max(left.WriteBytes, right.WriteBytes),
        Math.Max(left.Rchar, right.Rchar),
        Math.Max(left.Wchar, right.Wchar));
}
