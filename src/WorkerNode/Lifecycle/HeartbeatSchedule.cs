namespace WorkerNode.Lifecycle;

/// <summary>
/// When to send the next heartbeat, and when silence is evidence enough to stop the command
/// (README "Heartbeats and a struggling server"). Pure: the loop tells it what happened and when.
/// <list type="bullet">
/// <item>The first heartbeat comes after 0.5–1.5 intervals (jittered), so that an array of thousands
/// started in the same second does not beat in step.</item>
/// <item>After an accepted heartbeat, the next comes one interval after the answer.</item>
/// <item>After a failure the wait doubles from one interval, with up to 50 % of jitter on top, capped
/// at next_report_increment: it grows and is never shorter than the interval.</item>
/// <item>Only a server that cannot be reached at all (refused, reset, no such host) for the whole
/// report-by window counts as lost. A slow answer, a 5xx or a 423 is a server that is there: it
/// may move the instance to T (triaging), and the next heartbeat moves it back to R.</item>
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

        var wait = BackOff();
        return wait < remaining ? wait : remaining;
    }

    /// <summary>Waits after a failure once the report-by window has passed and the policy is to go on.</summary>
    public TimeSpan KeepTrying() => BackOff();

    private TimeSpan BackOff()
    {
        _failures++;
        var doubled = _interval * Math.Pow(2, Math.Min(_failures - 1, 16));
        var cap = _reportBy > _interval ? _reportBy : _interval;
        var wait = doubled < cap ? doubled : cap;
        return wait * (1 + (0.5 * _random()));
    }
}
