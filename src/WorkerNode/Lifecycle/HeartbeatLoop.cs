using System.Globalization;
using WorkerNode.Configuration;
using WorkerNode.Execution;
using WorkerNode.Interop;
using WorkerNode.Jobmon;
using WorkerNode.Logging;

namespace WorkerNode.Lifecycle;

/// <summary>
/// Heartbeats (log_report_by) while the command runs, one at a time, and acts on the answers: K
/// stops the command to report F; any other status but R means the server has given the instance
/// up. A failed heartbeat never disturbs the command. Only evidence stops it: the server saying so,
/// or no server reachable at all for the whole report-by window (<see cref="HeartbeatSchedule"/>);
/// a slow or failing server is helped by backing off, not abandoned.
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

    /// <summary>Heartbeats until <paramref name="stopBeating"/> or until it has asked the command to stop.</summary>
    /// <param name="command">The running command.</param>
    /// <param name="lastAccepted">When the server last heard from us (log_running).</param>
    /// <param name="stopBeating">Cancelled when the command has ended: no new heartbeat starts.</param>
    /// <param name="abandon">
    /// Cancels a heartbeat in flight. Not the command's end: a heartbeat already sent is waited for
    /// (within http.request_timeout), so that a struggling server is not left with a request whose
    /// client went away, and so that at most one request per worker is ever in flight.
    /// </param>
    public async Task RunAsync(SupervisedCommand command, DateTimeOffset lastAccepted, CancellationToken stopBeating, CancellationToken abandon)
    {
        var interval = _settings.Heartbeat.Interval;
        var reportBy = TimeSpan.FromSeconds(_settings.Heartbeat.NextReportIncrementSeconds);
        var stopWhenLost = _settings.WorkerNode.OnLostServer == LostServerPolicy.Stop;
        var schedule = new HeartbeatSchedule(interval, reportBy, lastAccepted, Random.Shared.NextDouble);
        var warnedLost = false;
        var wait = schedule.First();
        while (await WaitAsync(wait, stopBeating).ConfigureAwait(false))
        {
            try
            {
                var status = await _client.LogReportByAsync(_taskInstanceId, _report(), abandon).ConfigureAwait(false);
                if (status == TaskInstanceStatus.Running)
                {
                    wait = schedule.Accepted(_time.GetUtcNow());
                    continue;
                }

                StopAsToldBy(command, status);
                return;
            }
            catch (ServerUnreachableException exception) when (exception.NoContact)
            {
                var next = schedule.Unreachable(_time.GetUtcNow());
                if (next is { } retryIn)
                {
                    Failed(exception, retryIn);
                    wait = retryIn;
                    continue;
                }

                var silence = _time.GetUtcNow() - schedule.LastAccepted;
                if (stopWhenLost)
                {
                    StopAsLost(command, silence, reportBy, exception.Message);
                    return;
                }

                wait = schedule.KeepTrying();
                if (!warnedLost)
                {
                    warnedLost = true;
                    _log.Warning(
                        "the server could not be reached for longer than next_report_increment; continuing as worker_node.on_lost_server says",
                        ("silence", silence),
                        ("error", exception.Message));
                }
                else
                {
                    Failed(exception, wait);
                }
            }
            catch (JobmonException exception)
            {
                // Slow (request_timeout), 5xx, 423, a strange answer: the server is there, only struggling.
                wait = schedule.Struggling(_time.GetUtcNow());
                Failed(exception, wait);
            }
            catch (OperationCanceledException) when (abandon.IsCancellationRequested)
            {
                return;
            }
        }
    }

    /// <summary>Waits, or returns false at once when the command has ended.</summary>
    private async Task<bool> WaitAsync(TimeSpan wait, CancellationToken stopBeating)
    {
        if (stopBeating.IsCancellationRequested)
        {
            return false;
        }

        // A timer and a registration rather than Task.Delay(token): the command's end is the normal
        // way out of this loop, and a first exception costs a task milliseconds of start-up work.
        var waited = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var timer = _time.CreateTimer(static state => ((TaskCompletionSource<bool>)state!).TrySetResult(true), waited, wait, Timeout.InfiniteTimeSpan);
        using var ended = stopBeating.Register(static state => ((TaskCompletionSource<bool>)state!).TrySetResult(false), waited);
        return await waited.Task.ConfigureAwait(false);
    }

    private void Failed(JobmonException exception, TimeSpan retryIn) =>
        _log.Warning(
            "heartbeat failed; the command is not disturbed",
            ("error", exception.Message),
            ("retry_in", string.Create(CultureInfo.InvariantCulture, $"{retryIn.TotalSeconds:0.0} s")));

    private void StopAsToldBy(SupervisedCommand command, TaskInstanceStatus status)
    {
        if (status == TaskInstanceStatus.KillSelf)
        {
            command.RequestStop(new StopRequest(StopReason.KillSelf, Signals.Int, "Task instance was told to kill itself (K) by the server: the workflow was resumed elsewhere"));
            return;
        }

        var stop = new StopRequest(StopReason.ServerGaveUp, Signals.Term, $"the server answered the heartbeat with status {status}, not R: it has given this task instance up");

        // The line that says why the worker will exit 199: nothing more is reported to the server.
        _log.Error(stop.Description + "; stopping the command");
        command.RequestStop(stop);
    }

    private void StopAsLost(SupervisedCommand command, TimeSpan silence, TimeSpan reportBy, string lastError)
    {
        var stop = new StopRequest(
            StopReason.LostServer,
            Signals.Term,
            $"lost contact with the server: no heartbeat accepted for {silence.TotalSeconds:0} s and the server unreachable for the whole next_report_increment ({reportBy.TotalSeconds:0} s), so it may already have started a retry");

        // The line that says why the worker will exit 199 (the report, if it gets through, says it to the server).
        _log.Error(stop.Description + "; stopping the command (worker_node.on_lost_server: stop)", ("last_error", lastError));
        command.RequestStop(stop);
    }
}
