using WorkerNode.Configuration;
using WorkerNode.Execution;
using WorkerNode.Interop;
using WorkerNode.Logging;
using WorkerNode.Scheduler;

namespace WorkerNode.Monitoring;

/// <summary>
/// Watches a running command: samples its whole process tree on one loop every sample interval (usage, and the
/// memory limit), and stops it through <see cref="SupervisedCommand.RequestStop"/> when the tree uses more
/// memory than the limit or when the time limit's deadline passes (a timer at the deadline, not a sampling
/// tick). Samples are folded into running totals; nothing is written while the command runs.
/// </summary>
public sealed class CommandMonitor : IDisposable
{
    // Timers take at most about 49 days; a longer time limit is reached in steps.
    private static readonly TimeSpan LongestTimerStep = TimeSpan.FromDays(24);

    private readonly ResourceLimits _limits;
    private readonly WorkerNodeSettings _settings;
    private readonly WorkerLog _log;
    private readonly TimeProvider _time;
    private readonly ProcessTreeSampler _sampler;
    private readonly UsageAccumulator _usage;
    private readonly CgroupMemory? _cgroup;
    private readonly long? _cgroupLimit;
    private readonly long? _oomKillsAtStart;
    private readonly long? _cgroupPeakAtStart;
    private readonly Rusage _baseline;
    private readonly Lock _gate = new();
    private readonly CancellationTokenSource _stop = new();
    private SupervisedCommand? _command;
    private ITimer? _deadline;
    private bool _deadlineStepIsLast;
    private readonly TaskCompletionSource _loopDone = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long? _cgroupCurrent;
    private long? _cgroupPeak;
    private long _workerPeakAtSpawn;
    private bool _memoryExceeded;
    private bool _warnedUnreadable;

    private CommandMonitor(ResourceLimits limits, WorkerNodeSettings settings, WorkerLog log, TimeProvider time)
    {
        _limits = limits;
        _settings = settings;
        _log = log;
        _time = time;
        _sampler = ProcessTreeSampler.ForWorker(settings.MemoryMetric == MemoryMetric.Pss);
        _usage = new UsageAccumulator(ProcessControl.ClockTicksPerSecond());
        _cgroup = CgroupMemory.Find();
        _cgroupLimit = _cgroup?.ReadLimit();
        _oomKillsAtStart = _cgroup?.ReadOomKills();
        _cgroupPeakAtStart = _cgroup?.ReadPeak();
        _baseline = ProcessControl.ReapedChildrenUsage();
    }

    /// <summary>
    /// Takes the starting points (the kernel's figures for children reaped so far, the cgroup's OOM kill counter)
    /// before the command starts, so that nothing the command does is missed however fast it ends.
    /// </summary>
    public static CommandMonitor Prepare(ResourceLimits limits, WorkerNodeSettings settings, WorkerLog log, TimeProvider time)
    {
        var monitor = new CommandMonitor(limits, settings, log, time);
        if (monitor._cgroup is { } cgroup)
        {
            log.Debug("reading the memory cgroup", ("cgroup", cgroup.Directory), ("version", cgroup.Version == CgroupVersion.V2 ? "v2" : "v1"));
        }

        if (!monitor._sampler.WalksChildrenFiles)
        {
            log.Debug("this kernel has no /proc/PID/task/TID/children; each sample scans /proc");
        }

        return monitor;
    }

    /// <summary>Starts sampling <paramref name="command"/> and arms the time limit.</summary>
    public void Watch(SupervisedCommand command)
    {
        _command = command;
        _workerPeakAtSpawn = _sampler.ReadRootPeakRss();
        if (_limits.Deadline is not null)
        {
            _deadline = _time.CreateTimer(static state => ((CommandMonitor)state!).OnDeadline(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            ArmDeadline();
        }

        // A thread of its own, asleep between samples: cheaper than a timer that wakes the thread pool.
        new Thread(Run) { IsBackground = true, Name = "monitor" }.Start();
    }

    /// <summary>The usage so far, for heartbeats.</summary>
    public ResourceUsage Current()
    {
        lock (_gate)
        {
            var wallclock = _command is { } command ? _time.GetUtcNow() - command.StartedAt : TimeSpan.Zero;
            return _usage.Snapshot(wallclock) with { Cgroup = CgroupNow(peak: _cgroupPeak, oomKills: null) };
        }
    }

    /// <summary>Stops watching once the command and its tree have ended, and gives the final usage.</summary>
    public async Task<ResourceUsage> FinishAsync(CommandResult result)
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        _deadline?.Dispose();
        if (_command is not null)
        {
            await _loopDone.Task.ConfigureAwait(false);
        }

        lock (_gate)
        {
            // One last reading: the tree is gone by now, so this adds the kernel's exact figures for all of it.
            Record();
            // The peak file covers the cgroup's whole life; it speaks for this run only if it rose during it.
            var peak = _cgroup?.ReadPeak() is { } atEnd && (_cgroupPeakAtStart is not { } atStart || atEnd > atStart) ? atEnd : _cgroupPeak;
            var oomKills = _cgroup?.ReadOomKills() is { } end && _oomKillsAtStart is { } start ? end - start : (long?)null;
            return _usage.Snapshot(result.Wallclock) with { Cgroup = CgroupNow(peak, oomKills) };
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _deadline?.Dispose();
        _stop.Dispose();
    }

    /// <summary>Samples now and then every sample interval, on a fixed beat, until stopped.</summary>
    private void Run()
    {
        try
        {
            var stopped = _stop.Token.WaitHandle;
            var started = _time.GetTimestamp();
            var interval = _settings.SampleInterval;
            for (var beat = 1L; ; beat++)
            {
                lock (_gate)
                {
                    if (Record() is { } sample)
                    {
                        CheckMemory(sample);
                    }
                }

                // A sample slower than the interval (a huge tree) skips beats rather than sampling back to back.
                var elapsed = _time.GetElapsedTime(started);
                beat = Math.Max(beat, (long)(elapsed / interval) + 1);
                if (stopped.WaitOne((interval * beat) - elapsed))
                {
                    return;
                }
            }
        }
        finally
        {
            _loopDone.TrySetResult();
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

    private void CheckMemory(TreeSample sample)
    {
        if (_limits.MemoryLimitBytes is not { } limit || _memoryExceeded || _command is not { } command || command.Exited.IsCompleted)
        {
            return;
        }

        var pss = _settings.MemoryMetric == MemoryMetric.Pss;
        var used = pss ? sample.PssBytes ?? 0 : sample.RssBytes;
        if (used <= limit)
        {
            return;
        }

        _memoryExceeded = true;
        var elapsed = TimeSpan.FromSeconds(Math.Floor((_time.GetUtcNow() - command.StartedAt).TotalSeconds));
        var description = $"memory limit {DisplayFormat.Size(limit)} exceeded: tree {(pss ? "PSS" : "RSS")} {DisplayFormat.Size(used)} at {DisplayFormat.Duration(elapsed)} ({sample.Processes} {(sample.Processes == 1 ? "process" : "processes")})"
            + (_settings.MemoryLimitBytes is null ? $"; the limit comes from {_limits.MemoryLimitSource}" : string.Empty);
        _log.Warning("memory limit exceeded", ("description", description));
        command.RequestStop(new StopRequest(StopReason.MemoryLimit, Signals.Term, description));
    }

    private void ArmDeadline()
    {
        var due = _limits.Deadline!.Value - _time.GetUtcNow();
        due = due > TimeSpan.Zero ? due : TimeSpan.Zero;
        _deadlineStepIsLast = due <= LongestTimerStep;
        _deadline?.Change(_deadlineStepIsLast ? due : LongestTimerStep, Timeout.InfiniteTimeSpan);
    }

    private void OnDeadline()
    {
        if (!_deadlineStepIsLast)
        {
            ArmDeadline();
            return;
        }

        if (_command is not { } command || command.Exited.IsCompleted || _limits.TimeLimit is not { } limit)
        {
            return;
        }

        // A limit derived from the allocation's end time is shown to the second; an explicit one as given.
        var description = _settings.TimeLimit is null
            ? $"time limit {DisplayFormat.Duration(TimeSpan.FromSeconds(Math.Round(limit.TotalSeconds)))} reached (the allocation ends: {_limits.TimeLimitSource})"
            : $"time limit {DisplayFormat.Duration(limit)} reached";
        _log.Warning("time limit reached", ("description", description));
        command.RequestStop(new StopRequest(StopReason.TimeLimit, Signals.Term, description));
    }

    private CgroupUsage? CgroupNow(long? peak, long? oomKills) =>
        _cgroup is { } cgroup ? new CgroupUsage(cgroup.Version, cgroup.Directory, _cgroupCurrent, peak, _cgroupLimit, oomKills) : null;
}
