using WorkerNode.Configuration;
using WorkerNode.Execution;
using WorkerNode.Interop;
using WorkerNode.Jobmon;
using WorkerNode.Logging;

namespace WorkerNode.Lifecycle;

/// <summary>
/// Heartbeats (log_report_by) every interval while the command runs, and acts on the answers:
/// K stops the command to report F; any other status but R means the server has given the
/// instance up. A failed heartbeat never disturbs the command; but once no heartbeat has been
/// accepted for longer than next_report_increment the server's reaper will have given the
/// instance up and may start a retry, so the command is stopped rather than race it (PROTOCOL.md §7).
/// </summary>
internal sealed class HeartbeatLoop
{
    private readonly IJobmonClient _client;
    private readonly long _taskInstanceId;
    private readonly Func<HeartbeatReport> _report;
    private readonly WorkerSettings _settings;
    private readonly WorkerLog _log;
    private readonly TimeProvider _time;

    public HeartbeatLoop(IJobmonClient client, long taskInstanceId, Func<HeartbeatReport> report, WorkerSettings settings, WorkerLog log, TimeProvider time)
    {
        _client = client;
        _taskInstanceId = taskInstanceId;
        _report = report;
        _settings = settings;
        _log = log;
        _time = time;
    }

    /// <summary>Heartbeats until cancelled or until it has asked the command to stop.</summary>
    /// <param name="command">The running command.</param>
    /// <param name="lastAccepted">When the server last heard from us (log_running).</param>
    /// <param name="cancellationToken">Cancelled when the command has ended.</param>
    public async Task RunAsync(SupervisedCommand command, DateTimeOffset lastAccepted, CancellationToken cancellationToken)
    {
        var reportBy = TimeSpan.FromSeconds(_settings.Heartbeat.NextReportIncrementSeconds);
        var stopWhenLost = _settings.WorkerNode.OnLostServer == LostServerPolicy.Stop;
        var warnedLost = false;
        using var timer = new PeriodicTimer(_settings.Heartbeat.Interval, _time);

        // Disposing the timer ends the wait without an exception: the command's end is the normal
        // way out of this loop, and a first exception costs a task milliseconds of start-up work.
        using var endOfCommand = cancellationToken.Register(timer.Dispose);
        try
        {
            while (await timer.WaitForNextTickAsync(CancellationToken.None).ConfigureAwait(false))
            {
                var (beat, at) = await BeatAsync(command, stopWhenLost ? lastAccepted + reportBy : null, cancellationToken).ConfigureAwait(false);
                if (beat == Beat.StopRequested)
                {
                    return;
                }

                if (beat == Beat.Accepted)
                {
                    lastAccepted = at;
                    continue;
                }

                var remaining = lastAccepted + reportBy - _time.GetUtcNow();
                if (!stopWhenLost)
                {
                    if (remaining <= TimeSpan.Zero && !warnedLost)
                    {
                        warnedLost = true;
                        _log.Warning("no heartbeat accepted for longer than next_report_increment; continuing as worker_node.on_lost_server says", ("silence", reportBy - remaining));
                    }

                    continue;
                }

                // The server's reaper acts at lastAccepted + next_report_increment, not at our next
                // tick: when the deadline comes first, wait for it alone, then stop.
                if (remaining >= _settings.Heartbeat.Interval)
                {
                    continue;
                }

                if (remaining > TimeSpan.Zero)
                {
                    await Task.Delay(remaining, _time, cancellationToken).ConfigureAwait(false);
                }

                StopAsLost(command, _time.GetUtcNow() - lastAccepted, reportBy);
                return;
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>
    /// One heartbeat, cut off at <paramref name="deadline"/> when given (a send still retrying then
    /// cannot land in time), and when it was accepted.
    /// </summary>
    private async Task<(Beat Beat, DateTimeOffset At)> BeatAsync(SupervisedCommand command, DateTimeOffset? deadline, CancellationToken cancellationToken)
    {
        using var cutOff = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (deadline is { } at)
        {
            cutOff.CancelAfter(TimeSpan.FromTicks(Math.Max(0, (at - _time.GetUtcNow()).Ticks)));
        }

        try
        {
            var status = await _client.LogReportByAsync(_taskInstanceId, _report(), cutOff.Token).ConfigureAwait(false);
            if (status == TaskInstanceStatus.Running)
            {
                return (Beat.Accepted, _time.GetUtcNow());
            }

            command.RequestStop(status == TaskInstanceStatus.KillSelf
                ? new StopRequest(StopReason.KillSelf, Signals.Int, "Task instance was told to kill itself (K) by the server: the workflow was resumed elsewhere")
                : new StopRequest(StopReason.ServerGaveUp, Signals.Term, $"the server answered the heartbeat with status {status}: it has given this task instance up"));
            return (Beat.StopRequested, default);
        }
        catch (JobmonException exception)
        {
            _log.Warning("heartbeat failed; the command is not disturbed, the next interval tries again", ("error", exception.Message));
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            _log.Warning("heartbeat failed; the command is not disturbed", ("error", "no answer before next_report_increment ran out"));
        }

        return (Beat.Failed, default);
    }

    private void StopAsLost(SupervisedCommand command, TimeSpan silence, TimeSpan reportBy)
    {
        var stop = new StopRequest(
            StopReason.LostServer,
            Signals.Term,
            $"lost contact with the server: no heartbeat accepted for {silence.TotalSeconds:0} s, the whole next_report_increment ({reportBy.TotalSeconds:0} s), so the server may already have started a retry");

        // The line that says why the worker will exit 199 (the report, if it gets through, says it to the server).
        _log.Error(stop.Description + "; stopping the command (worker_node.on_lost_server: stop)");
        command.RequestStop(stop);
    }

    private enum Beat
    {
        Accepted,
        Failed,
        StopRequested,
    }
}
