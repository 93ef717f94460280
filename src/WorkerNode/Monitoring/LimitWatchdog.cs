using WorkerNode.Configuration;
using WorkerNode.Execution;
using WorkerNode.Interop;
using WorkerNode.Logging;
using WorkerNode.Scheduler;

namespace WorkerNode.Monitoring;

/// <summary>
/// Holds a running command to its limits: a timer at the time limit's deadline (not a sampling tick, so the stop
/// starts within milliseconds of it), and a look at every tree sample for the memory limit. Either stops the
/// command through <see cref="SupervisedCommand.RequestStop"/>, the one stop there is, with a sentence the user
/// can act on.
/// </summary>
internal sealed class LimitWatchdog : IDisposable
{
    // Timers take at most about 49 days; a longer time limit is reached in steps.
    private static readonly TimeSpan LongestTimerStep = TimeSpan.FromDays(24);

    private readonly SupervisedCommand _command;
    private readonly ResourceLimits _limits;
    private readonly WorkerNodeSettings _settings;
    private readonly WorkerLog _log;
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private DateTimeOffset? _deadline;
    private TimeSpan? _timeLimit;
    private string? _timeLimitSource;
    private ITimer? _timer;
    private bool _timerStepIsLast;
    private bool _memoryExceeded;
    private (long Bytes, DateTimeOffset At)? _lastUsed;

    // From the decision to the command's end: SIGTERM, and the memory it touches meanwhile.
    private static readonly TimeSpan StopTakesEffect = TimeSpan.FromMilliseconds(100);

    public LimitWatchdog(SupervisedCommand command, ResourceLimits limits, WorkerNodeSettings settings, WorkerLog log, TimeProvider time)
    {
        _command = command;
        _limits = limits;
        _settings = settings;
        _log = log;
        _time = time;
        // An explicit time limit counts from the command's start; one derived from the allocation's end is absolute.
        _deadline = settings.TimeLimit is { } timeLimit ? ClockArithmetic.Add(command.StartedAt, timeLimit) : limits.Deadline;
        _timeLimit = limits.TimeLimit;
        _timeLimitSource = settings.TimeLimit is null ? limits.TimeLimitSource : null;
        if (_deadline is not null)
        {
            lock (_gate)
            {
                _timer = time.CreateTimer(static state => ((LimitWatchdog)state!).OnTimer(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
                ArmTimer();
            }
        }
    }

    /// <summary>
    /// A time limit learnt after the command started (the scheduler answered a query): enforced from now
    /// on when it ends sooner than the one already held, if any; or in its place when <paramref name="replace"/>
    /// (the same allocation's end, its margin sized anew from the granted limit).
    /// </summary>
    public void ApplyDeadline(DateTimeOffset deadline, TimeSpan limit, string source, bool replace = false)
    {
        lock (_gate)
        {
            if (!replace && _deadline is { } current && current <= deadline)
            {
                return;
            }

            _deadline = deadline;
            _timeLimit = limit;
            _timeLimitSource = source;
            _timer ??= _time.CreateTimer(static state => ((LimitWatchdog)state!).OnTimer(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            ArmTimer();
        }
    }

    /// <summary>Stops the command, once, when <paramref name="sample"/> is above the memory limit.</summary>
    public void Check(TreeSample sample) => Check(sample, null, null, null, TimeSpan.Zero);

    /// <summary>True once the tree uses half its memory limit or more: the monitor then samples faster.</summary>
    public bool NearMemoryLimit { get; private set; }

    /// <summary>
    /// Stops the command, once, when <paramref name="sample"/> is above the memory limit, or would be before
    /// the next look at the growth it shows; and before the kernel's OOM killer when the job's memory cgroup
    /// (<paramref name="cgroupLimit"/>, which also charges the worker itself; its page cache is left aside) leaves the
    /// tree less room than the limit.
    /// </summary>
    /// <param name="sample">The tree's usage now.</param>
    /// <param name="cgroupCurrent">The memory cgroup's usage at the sample less its page cache (which the kernel reclaims before it kills), if known.</param>
    /// <param name="cgroupLimit">The memory cgroup's limit (the smallest up the hierarchy), if any.</param>
    /// <param name="cgroupDirectory">Which cgroup holds that limit.</param>
    /// <param name="nextLook">How long until the next sample.</param>
    public void Check(TreeSample sample, long? cgroupCurrent, long? cgroupLimit, string? cgroupDirectory, TimeSpan nextLook)
    {
        if (_memoryExceeded || _command.Exited.IsCompleted)
        {
            return;
        }

        var pss = _settings.MemoryMetric == MemoryMetric.Pss;
        var used = pss ? sample.PssBytes ?? 0 : sample.RssBytes;
        var now = _time.GetUtcNow();
        var growth = _lastUsed is { } last && now > last.At ? Math.Max(0, (used - last.Bytes) / (now - last.At).TotalSeconds) : 0;
        _lastUsed = (used, now);

        long? limit = _limits.MemoryLimitBytes;
        var derivedFrom = _settings.MemoryLimitBytes is null ? _limits.MemoryLimitSource : null;
        if (cgroupLimit is { } groupLimit && cgroupCurrent is { } groupUsed)
        {
            // What the cgroup charges besides the tree (the worker itself, kernel memory) is not the tree's to use.
            var room = groupLimit - Math.Max(0, groupUsed - sample.RssBytes);
            room -= groupLimit / 50;
            if (limit is null || room < limit)
            {
                limit = room;
                derivedFrom = $"the memory cgroup {cgroupDirectory} (limit {DisplayFormat.Size(groupLimit)}, of which {DisplayFormat.Size(Math.Max(0, groupUsed - sample.RssBytes))} is charged outside the command's tree, page cache aside), before the kernel's OOM killer";
            }
        }

        if (limit is not { } held)
        {
            return;
        }

        NearMemoryLimit = used >= held / 2;

        // The growth seen, over the time to the next look and for the stop to take effect.
        var ahead = (long)(growth * (nextLook + StopTakesEffect).TotalSeconds);
        if (used + ahead <= held)
        {
            return;
        }

        _memoryExceeded = true;
        var description = MemoryDescription(held, used, pss, now - _command.StartedAt, sample.Processes, derivedFrom)
            + (used <= held ? $" (not yet exceeded: growing {DisplayFormat.Size((long)growth)}/s, it would be before the next look)" : string.Empty);
        _log.Warning("memory limit exceeded", ("description", description));
        _command.RequestStop(new StopRequest(StopReason.MemoryLimit, Signals.Term, description));
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _timer?.Dispose();
        }
    }

    /// <summary><c>memory limit 2.00 GiB exceeded: tree RSS 2.13 GiB at 00:01:42 (14 processes)</c>, and where a derived limit came from.</summary>
    internal static string MemoryDescription(long limit, long used, bool pss, TimeSpan running, int processes, string? derivedFrom) =>
        $"memory limit {DisplayFormat.Size(limit)} exceeded: tree {(pss ? "PSS" : "RSS")} {DisplayFormat.Size(used)} at {DisplayFormat.Duration(WholeSeconds(running))} ({processes} {(processes == 1 ? "process" : "processes")})"
        + (derivedFrom is null ? string.Empty : $"; the limit comes from {derivedFrom}");

    /// <summary>
    /// <c>time limit 00:30:00 reached</c>; a limit derived from the allocation's end is shown to the second, with
    /// where it came from.
    /// </summary>
    internal static string TimeDescription(TimeSpan limit, string? derivedFrom) => derivedFrom is null
        ? $"time limit {DisplayFormat.Duration(limit)} reached"
        : $"time limit {DisplayFormat.Duration(TimeSpan.FromSeconds(Math.Round(limit.TotalSeconds)))} reached (the allocation ends: {derivedFrom})";

    private static TimeSpan WholeSeconds(TimeSpan span) => TimeSpan.FromSeconds(Math.Floor(span.TotalSeconds));

    private void ArmTimer()
    {
        var due = _deadline!.Value - _time.GetUtcNow();
        due = due > TimeSpan.Zero ? due : TimeSpan.Zero;
        _timerStepIsLast = due <= LongestTimerStep;
        _timer?.Change(_timerStepIsLast ? due : LongestTimerStep, Timeout.InfiniteTimeSpan);
    }

    private void OnTimer()
    {
        TimeSpan limit;
        string? source;
        lock (_gate)
        {
            if (!_timerStepIsLast || _time.GetUtcNow() < _deadline)
            {
                // A step of a long wait, or a deadline moved while this tick was on its way.
                ArmTimer();
                return;
            }

            if (_command.Exited.IsCompleted || _timeLimit is not { } held)
            {
                return;
            }

            (limit, source) = (held, _timeLimitSource);
        }

        var description = TimeDescription(limit, source);
        _log.Warning("time limit reached", ("description", description));
        _command.RequestStop(new StopRequest(StopReason.TimeLimit, Signals.Term, description));
    }
}
