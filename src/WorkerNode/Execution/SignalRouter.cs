using WorkerNode.Interop;

namespace WorkerNode.Execution;

/// <summary>
/// Routes the worker's signals to its command: the first stop signal starts the graceful stop, a
/// later SIGINT or SIGTERM during the grace cuts it short (an impatient user or scheduler), and
/// forwarded signals go to the command's process group. A stop signal that arrives before the
/// command exists is remembered, so the command is then never started.
/// </summary>
public sealed class SignalRouter : IDisposable
{
    private readonly Lock _gate = new();
    private readonly WorkerSignals _signals;
    private readonly CancellationTokenSource _stopped = new();
    private SupervisedCommand? _command;
    private int _stopSignal;

    public SignalRouter() => _signals = new WorkerSignals(OnStop, OnForward);

    /// <summary>The first stop signal received (SIGTERM, SIGINT, SIGHUP or SIGQUIT), if any.</summary>
    public int? StopSignal
    {
        get
        {
            lock (_gate)
            {
                return _stopSignal == 0 ? null : _stopSignal;
            }
        }
    }

    /// <summary>Cancelled by the first stop signal: what the worker does before the command exists is then cut short.</summary>
    public CancellationToken Stopped => _stopped.Token;

    /// <summary>The request a stop signal turns into: the signal itself is the polite one forwarded to the command.</summary>
    public static StopRequest OutsideStop(int signal) => new(
        StopReason.OutsideSignal,
        signal,
        $"the job was stopped from outside by {Signals.Name(signal)} (preemption, the scheduler's time limit, or a user)");

    /// <summary>From now on, signals go to this command; a stop already received applies at once.</summary>
    public void Attach(SupervisedCommand command)
    {
        lock (_gate)
        {
            _command = command;
            if (_stopSignal != 0)
            {
                command.RequestStop(OutsideStop(_stopSignal));
            }
        }
    }

    // _stopped is not disposed: a handler already running may still cancel it, and a token source
    // without timers holds nothing that needs releasing.
    public void Dispose() => _signals.Dispose();

    private void OnStop(int signal)
    {
        bool first;
        lock (_gate)
        {
            first = _stopSignal == 0;
            if (first)
            {
                _stopSignal = signal;
            }

            RouteStop(signal);
        }

        // Outside the lock: cancellation runs its callbacks (HTTP requests, waits) on this thread.
        if (first)
        {
            _stopped.Cancel();
        }
    }

    /// <summary>What a stop signal does to the command, if there is one yet; called under the lock.</summary>
    private void RouteStop(int signal)
    {
        if (_command is null)
        {
            return;
        }

        if (_command.Exited.IsCompleted)
        {
            // The command has ended by itself; only what it left behind is being ended, and
            // whoever sends this wants the worker gone: no more waiting for it.
            _command.SkipGrace();
        }
        else if (_command.StopRequested is not null && signal is Signals.Int or Signals.Term)
        {
            _command.SkipGrace();
        }
        else
        {
            _command.RequestStop(OutsideStop(signal));
        }
    }

    private void OnForward(int signal)
    {
        lock (_gate)
        {
            _command?.Forward(signal);
        }
    }
}
