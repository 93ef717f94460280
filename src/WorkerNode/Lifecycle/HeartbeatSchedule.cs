namespace WorkerNode.Lifecycle;

/// <summary>
/// When to send the next heartbeat, and when silence is evidence enough to stop the command
/// (README "Heartbeats and a struggling server"). Pure: the loop tells it what happened and when.
/// <list type="bullet">
/// <item>The first heartbeat comes after 0.5–1.5 intervals (jittered), so that an array of thousands
/// started in the same second does not beat in step.</item>
/// <item>After an accepted heartbeat, the next comes one interval after the answer.</item>
/// <item>After a slow answer, a 5xx or a 423 the wait doubles from one interval up to half of
/// next_report_increment, with up to 25 % of jitter on top: it grows and is never shorter than the
/// interval, and still leaves room for a heartbeat within the server's window.</item>
/// <item>When no server answers at all (refused, reset, no such host) the next attempt comes after
/// one interval (jittered up to 25 %): a refused connection costs a server nothing, and the worker
/// notices at once when it is back. Only that, for the whole report-by window, counts as lost: the
/// last attempt is made at the deadline itself. A slow or failing server is there: it may move the
/// instance to T (triaging), and the next heartbeat moves it back to R.</item>
/// </list>
/// </summary>
internal sealed class HeartbeatSchedule
{
    private readonly TimeSpan _interval;
    private readonly TimeSpan _reportBy;
    private readonly Func<double> _random;
    private int _failures;

    /// <param name="interval">heartbeat_interval.</param>
    /// <param name="reportBy">next_report_increment: how long the server waits for a heartbeat.</param>
    /// <param name="lastHeard">When the server last answered (log_running).</param>
    /// <param name="random">Uniform in [0, 1): the jitter.</param>
    public HeartbeatSchedule(TimeSpan interval, TimeSpan reportBy, DateTimeOffset lastHeard, Func<double> random)
    {
        _interval = interval;
        _reportBy = reportBy;
        _random = random;
        LastHeard = lastHeard;
        LastAccepted = lastHeard;
    }

    /// <summary>The last time the server was seen alive: an accepted heartbeat, or any answer or slow attempt.</summary>
    public DateTimeOffset LastHeard { get; private set; }

    /// <summary>The last accepted heartbeat (or log_running).</summary>
    public DateTimeOffset LastAccepted { get; private set; }

    /// <summary>The server's report-by window counted from the last sign of life: past it, with no contact, the server is lost.</summary>
    public DateTimeOffset Deadline => LastHeard + _reportBy;

    /// <summary>The wait before the first heartbeat.</summary>
    public TimeSpan First() => _interval * (0.5 + _random());

    /// <summary>The server answered R at <paramref name="at"/>.</summary>
    public TimeSpan Accepted(DateTimeOffset at)
    {
        _failures = 0;
        LastHeard = at;
        LastAccepted = at;
        return _interval;
    }

    /// <summary>The server is there but did not accept the heartbeat (slow, 5xx, 423, a strange answer): back off.</summary>
    public TimeSpan Struggling(DateTimeOffset at)
    {
        LastHeard = at;
        return BackOff();
    }

    /// <summary>
    /// The server could not be reached at all at <paramref name="at"/>: the wait before the next
    /// attempt, never past the deadline (so that one attempt confirms the loss there), or null when
    /// the whole report-by window has passed without contact.
    /// </summary>
    public TimeSpan? Unreachable(DateTimeOffset at)
    {
        var remaining = Deadline - at;
        if (remaining <= TimeSpan.Zero)
        {
            return null;
        }

        var wait = Jittered(_interval);
        return wait < remaining ? wait : remaining;
    }

    /// <summary>Waits after a failure once the report-by window has passed and the policy is to go on.</summary>
    public TimeSpan KeepTrying() => Jittered(_interval);

    private TimeSpan BackOff()
    {
        _failures++;
        var doubled = _interval * Math.Pow(2, Math.Min(_failures - 1, 16));
        var half = _reportBy / 2;
        var cap = half > _interval ? half : _interval;
        return Jittered(doubled < cap ? doubled : cap);
    }

    private TimeSpan Jittered(TimeSpan wait) => wait * (1 + (0.25 * _random()));
}
