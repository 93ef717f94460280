using WorkerNode.Configuration;
using WorkerNode.Execution;
using WorkerNode.Interop;
using WorkerNode.Logging;
using WorkerNode.Scheduler;

namespace WorkerNode.Monitoring;

/// <summary>
/// Watches a running command: samples its whole process tree on one dedicated thread every sample interval,
/// folds the samples into running totals (nothing is kept per sample, nothing is written while the command
/// runs), and has a <see cref="LimitWatchdog"/> hold the command to its limits.
/// </summary>
/// <remarks>
/// The sampler, the totals and the cgroup belong to the sampling thread while it runs, and to
/// <see cref="Finish"/> once it has ended; others see the figures of the last sample, published whole.
/// The sampling thread starts in <see cref="Prepare"/>, before the command: it finds the cgroup and reads its
/// starting counters on another core while the worker gets the command ready (every task pays that path),
/// then waits for <see cref="Watch"/>.
/// </remarks>
public sealed class CommandMonitor : IDisposable
{
    // WaitHandle waits take at most about 24 days; a longer sample interval is waited out in steps.
    private static readonly TimeSpan LongestWait = TimeSpan.FromDays(1);
    private static readonly TimeSpan SamplerStopWait = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan NearLimitInterval = TimeSpan.FromMilliseconds(100);

    // The first sample comes this soon at most: a command shorter than that is measured exactly by the
    // kernel's figures for reaped children, and a sample at the very start would only see it being born.
    private static readonly TimeSpan FirstSampleAtMost = TimeSpan.FromMilliseconds(100);

    private readonly ResourceLimits _limits;
    private readonly WorkerNodeSettings _settings;
    private readonly WorkerLog _log;
    private readonly TimeProvider _time;
    private readonly ProcessTreeSampler _sampler;
    private readonly UsageAccumulator _usage;
    private readonly ProfileRecorder? _profile;
    private readonly Rusage _baseline;
    private readonly CancellationTokenSource _stop = new();
    private readonly ManualResetEventSlim _watching = new();
    private readonly ManualResetEventSlim _loopEnded = new();
    private readonly Lock _deadlineGate = new();
    private SupervisedCommand? _command;
    private LimitWatchdog? _watchdog;
    private (DateTimeOffset Deadline, TimeSpan Limit, string Source, bool Replace)? _lateDeadline;
    private CgroupMemory? _cgroup;
    private long? _cgroupLimit;
    private long? _oomKillsAtStart;
    private long? _cgroupPeakAtStart;
    private long? _cgroupCurrent;
    private long? _cgroupUnreclaimable;
    private long? _cgroupPeak;
    private long _workerPeakAtSpawn;
    private bool _warnedUnreadable;
    private ResourceUsage _published;

    private CommandMonitor(ResourceLimits limits, WorkerNodeSettings settings, WorkerLog log, TimeProvider time, ProfileRecorder? profile)
    {
        _profile = profile;
        _limits = limits;
        _settings = settings;
        _log = log;
        _time = time;
        _sampler = ProcessTreeSampler.ForWorker(settings.MemoryMetric == MemoryMetric.Pss);
        _usage = new UsageAccumulator(ProcessControl.ClockTicksPerSecond());
        _baseline = ProcessControl.ReapedChildrenUsage();
        _published = _usage.Snapshot(TimeSpan.Zero);
    }

    /// <summary>
    /// Takes the kernel's figures for children reaped so far before the command starts, so that nothing the
    /// command does is missed however fast it ends.
    /// </summary>
    /// <param name="limits">The limits the watchdog holds the command to.</param>
    /// <param name="settings">The worker_node settings (sample interval, memory metric, ...).</param>
    /// <param name="log">The worker's log.</param>
    /// <param name="time">The clock.</param>
    /// <param name="profile">Receives every sample as a time series when the task keeps a profile; null keeps none.</param>
    public static CommandMonitor Prepare(ResourceLimits limits, WorkerNodeSettings settings, WorkerLog log, TimeProvider time, ProfileRecorder? profile = null)
    {
        var monitor = new CommandMonitor(limits, settings, log, time, profile);

        // A thread of its own, asleep between samples: cheaper than a timer that wakes the thread pool.
        new Thread(monitor.Run) { IsBackground = true, Name = "monitor" }.Start();
        return monitor;
    }

    /// <summary>Starts sampling <paramref name="command"/> and holding it to its limits.</summary>
    public void Watch(SupervisedCommand command)
    {
        _command = command;
        lock (_deadlineGate)
        {
            _watchdog = new LimitWatchdog(command, _limits, _settings, _log, _time);
            if (_lateDeadline is { } late)
            {
                _watchdog.ApplyDeadline(late.Deadline, late.Limit, late.Source, late.Replace);
            }
        }

        _watching.Set();
    }

    /// <summary>
    /// A time limit the scheduler told after the limits were resolved (see <see cref="AllocationQuery"/>):
    /// held from now on, whether the command has started yet or not. <paramref name="replace"/>: in place of
    /// the one held, even when later (the allocation's end with a margin sized from the granted limit).
    /// </summary>
    public void ApplyDeadline(DateTimeOffset deadline, TimeSpan limit, string source, bool replace = false)
    {
        lock (_deadlineGate)
        {
            _lateDeadline = (deadline, limit, source, replace);
            _watchdog?.ApplyDeadline(deadline, limit, source, replace);
        }
    }

    /// <summary>The usage as of the last sample, for heartbeats; never waits for a sample in progress.</summary>
    public ResourceUsage Current()
    {
        var wallclock = _command is { } command ? _time.GetUtcNow() - command.StartedAt : TimeSpan.Zero;
        return Volatile.Read(ref _published) with { Wallclock = wallclock };
    }

    /// <summary>Stops watching once the command and its tree have ended, and gives the final usage.</summary>
    public ResourceUsage Finish(CommandResult result)
    {
        // The sampling thread waits on the token's handle: Cancel wakes it, and it ends within microseconds.
        // So the caller waits for it here, blocking and bounded, rather than with an awaited timeout: that
        // would start the runtime's timer thread and hop to a second thread-pool thread at the end of every
        // task (strace: 2 of the 11 threads of `run -- true`).
        _stop.Cancel();
        _watchdog?.Dispose();
        // A read of /proc can block while the process it describes holds its memory map locked; the tree has
        // ended by now, so that cannot last, but the report must not wait on it forever.
        if (!_loopEnded.Wait(SamplerStopWait))
        {
            _log.Warning("the usage sampler is stuck reading /proc; the usage is reported as of its last sample");
            return Current() with { Wallclock = result.Wallclock };
        }

        // The sampling thread has ended: from here on this is the only reader and writer. One last reading
        // of the kernel's exact figures for the whole tree, which has been reaped by now (so a walk of /proc
        // would add nothing: every total is the largest of its readings).
        _usage.AddReaped(ReapedUsage.Since(_baseline, ProcessControl.ReapedChildrenUsage(), _workerPeakAtSpawn));
        // The peak file covers the cgroup's whole life; it speaks for this run only if it rose during it.
        var peak = _cgroup?.ReadPeak() is { } atEnd && (_cgroupPeakAtStart is not { } atStart || atEnd > atStart) ? atEnd : _cgroupPeak;
        var oomKills = _cgroup?.ReadOomKills() is { } end && _oomKillsAtStart is { } start ? end - start : (long?)null;
        return _usage.Snapshot(result.Wallclock) with { Cgroup = CgroupNow(peak, oomKills) };
    }

    public void Dispose()
    {
        _stop.Cancel();
        _watchdog?.Dispose();
        // The sampling thread may still be on its way out, waiting on these handles; leave them to it then.
        if (_loopEnded.IsSet)
        {
            _stop.Dispose();
            _watching.Dispose();
            _loopEnded.Dispose();
        }
    }

    /// <summary>Finds the cgroup, then samples on every beat of the sample interval, until stopped.</summary>
    private void Run()
    {
        try
        {
            var stopped = _stop.Token.WaitHandle;
            FindCgroup();
            if (WaitHandle.WaitAny([_watching.WaitHandle, stopped]) != 0)
            {
                return;
            }

            var started = _time.GetTimestamp();
            _workerPeakAtSpawn = _sampler.ReadRootPeakRss();
            var interval = _settings.SampleInterval;
            var due = interval < FirstSampleAtMost ? interval : FirstSampleAtMost;
            while (true)
            {
                var elapsed = _time.GetElapsedTime(started);
                if (elapsed >= due)
                {
                    // Near the memory limit, a second between looks is too long: a tree growing 40 MiB/s
                    // crosses a 10 MiB margin in a quarter of it.
                    interval = _watchdog?.NearMemoryLimit == true && _settings.SampleInterval > NearLimitInterval ? NearLimitInterval : _settings.SampleInterval;
                    if (Record() is { } sample)
                    {
                        _watchdog?.Check(sample, _cgroupUnreclaimable, _cgroupLimit, _cgroup?.Directory, interval);
                        var usage = _usage.Snapshot(TimeSpan.Zero) with { Cgroup = CgroupNow(_cgroupPeak, oomKills: null) };
                        Volatile.Write(ref _published, usage);
                        // A tree with no live process has ended and is waiting to be reaped: not a sample of the task.
                        if (sample.Processes > 0)
                        {
                            _profile?.Add(elapsed, sample.RssBytes, sample.PssBytes, _cgroupCurrent, usage.Cpu, sample.Processes, usage.Io.ReadBytes, usage.Io.WriteBytes);
                        }
                    }

                    // The next beat after now: a sample slower than the interval (a huge tree) skips beats
                    // rather than sampling back to back.
                    due = interval * (Math.Floor(_time.GetElapsedTime(started) / interval) + 1);
                    continue;
                }

                var wait = due - elapsed;
                if (stopped.WaitOne(wait < LongestWait ? wait : LongestWait))
                {
                    return;
                }
            }
        }
        finally
        {
            _loopEnded.Set();
        }
    }

    /// <summary>The memory cgroup and its starting counters; the OOM kill counter is compared with them at the end.</summary>
    private void FindCgroup()
    {
        _cgroup = CgroupMemory.Find();
        _cgroupLimit = _cgroup?.ReadLimit();
        _oomKillsAtStart = _cgroup?.ReadOomKills();
        _cgroupPeakAtStart = _cgroup?.ReadPeak();
        if (_cgroup is { } cgroup)
        {
            _log.Debug("reading the memory cgroup", ("cgroup", cgroup.Directory), ("version", cgroup.Version == CgroupVersion.V2 ? "v2" : "v1"));
        }

        if (!_sampler.WalksChildrenFiles)
        {
            _log.Debug("this kernel has no /proc/PID/task/TID/children; each sample scans /proc");
        }
    }

    /// <summary>Reads the kernel's figures, then the tree, then the cgroup; null when /proc could not be read.</summary>
    private TreeSample? Record()
    {
        try
        {
            var reaped = ReapedUsage.Since(_baseline, ProcessControl.ReapedChildrenUsage(), _workerPeakAtSpawn);
            var sample = _sampler.Sample();
            _usage.Add(sample, reaped);
            if (_cgroup?.ReadCurrent() is { } current)
            {
                _cgroupCurrent = current;
                // Only with a limit to keep to: memory.stat is the largest file read per sample.
                _cgroupUnreclaimable = _cgroupLimit is null ? null : current - Math.Min(current, _cgroup.ReadFileCache() ?? 0);
                _cgroupPeak = Math.Max(_cgroupPeak ?? 0, current);
            }

            return sample;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            if (!_warnedUnreadable)
            {
                _warnedUnreadable = true;
                _log.Warning("cannot read the process tree's usage from /proc; usage figures will be incomplete", ("error", exception.Message));
            }

            return null;
        }
    }


    private CgroupUsage? CgroupNow(long? peak, long? oomKills) =>
        _cgroup is { } cgroup ? new CgroupUsage(cgroup.Version, cgroup.Directory, _cgroupCurrent, peak, _cgroupLimit, oomKills) : null;
}
