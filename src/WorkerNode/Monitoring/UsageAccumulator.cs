namespace WorkerNode.Monitoring;

/// <summary>
/// Folds tree samples and the kernel's figures for reaped processes into running totals and peaks, so that no
/// sample is kept (Nextflow's lesson: keep samples in memory, write once). Never counts a process twice: the
/// kernel's figures are read before the tree is walked, so a process reaped in between is missed by that
/// sample rather than counted in both; totals only ever take the larger of two readings.
/// </summary>
internal sealed class UsageAccumulator
{
    private readonly long _ticksPerSecond;
    private TimeSpan _user;
    private TimeSpan _system;
    private long _maxRss;
    private long? _maxPss;
    private IoCounters _io;
    private int _maxProcesses;
    private int _samples;

    /// <param name="ticksPerSecond">Clock ticks per second of /proc's CPU times (sysconf(_SC_CLK_TCK)).</param>
    public UsageAccumulator(long ticksPerSecond) => _ticksPerSecond = ticksPerSecond;

    /// <summary>
    /// Adds one reading: <paramref name="reaped"/> (taken first) plus <paramref name="sample"/> of the live tree.
    /// CPU, read_bytes and write_bytes are the kernel's exact totals for reaped processes plus the live ones;
    /// rchar and wchar, which the kernel does not total, come from the samples alone.
    /// </summary>
    public void Add(TreeSample sample, ReapedUsage reaped)
    {
        _samples++;
        Fold(sample, reaped);
    }

    /// <summary>Adds the kernel's figures alone, once the tree has been reaped and there is nothing live to sample.</summary>
    public void AddReaped(ReapedUsage reaped) => Fold(default, reaped);

    private void Fold(TreeSample sample, ReapedUsage reaped)
    {
        _user = Max(_user, reaped.User + Ticks(sample.UserTicks));
        _system = Max(_system, reaped.System + Ticks(sample.SystemTicks));
        _maxRss = Math.Max(_maxRss, Math.Max(sample.RssBytes, reaped.MaxRssBytes));
        if (sample.PssBytes is { } pss)
        {
            _maxPss = Math.Max(_maxPss ?? 0, pss);
        }

        var live = sample.LiveIo;
        var kernel = new IoCounters(reaped.ReadBytes + live.ReadBytes, reaped.WriteBytes + live.WriteBytes, 0, 0);
        _io = IoCounters.Max(_io, IoCounters.Max(kernel, live + sample.DepartedIo));
        _maxProcesses = Math.Max(_maxProcesses, sample.Processes);
    }

    /// <summary>The figures so far.</summary>
    public ResourceUsage Snapshot(TimeSpan wallclock) => new()
    {
        Wallclock = wallclock,
        CpuUser = _user,
        CpuSystem = _system,
        MaxRssBytes = _maxRss,
        MaxPssBytes = _maxPss,
        Io = _io,
        MaxProcesses = _maxProcesses,
        Samples = _samples,
    };

    private TimeSpan Ticks(long ticks) => TimeSpan.FromTicks(ticks * TimeSpan.TicksPerSecond / _ticksPerSecond);

    private static TimeSpan Max(TimeSpan left, TimeSpan right) => left > right ? left : right;
}
