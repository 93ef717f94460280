using WorkerNode.Interop;

namespace WorkerNode.Execution;

/// <summary>
/// Routes the worker's signals to its command: the first stop signal starts the graceful stop, a
/// later SIGINT or SIGTERM during the grace cuts it short (an impatient user or scheduler), and
/// forwarded signals go to the command's process group. A stop signal that arrives before the
/// command exists is remembered, so the command is then never started.
/// </summary>
/// <remarks>
/// Under Grid Engine with -notify, SIGUSR2 announces a kill (qdel, h_rt) and SIGUSR1 a suspension,
/// the notify time ahead; unless told to forward them (worker_node.forward_notify_signals), the
/// worker acts on them itself: SIGUSR2 is a stop, SIGUSR1 suspends the command at once (Grid Engine's
/// SIGSTOP reaches only the job's own process group, not the command's session), and the SIGCONT
/// of the resumption is passed on as always. When the scheduler's kill window is known (Slurm's
/// KillWait, the notify time), the grace after a stop signal is cut to half of it, so the command is
/// ended and the outcome reported before the scheduler's SIGKILL.
/// </remarks>
public sealed class SignalRouter : IDisposable
{
    private readonly Lock _gate = new();
    private readonly WorkerSignals _signals;
    private readonly CancellationTokenSource _stopped = new();
    private readonly TimeProvider _time;
    private readonly bool _gridEngineNotify;
    private SupervisedCommand? _command;
    private int _stopSignal;
    private long _stoppedAt;
    private TimeSpan? _killWindow;
    private string? _killWindowSource;
    private Func<StopRequest?>? _notifiedKill;
    private ITimer? _graceCut;
    private ITimer? _suspensionCheck;
    private bool _suspendedOnNotice;
    private bool _resumedSinceNotice;

    public SignalRouter()
        : this(TimeProvider.System, gridEngineNotify: false)
    {
    }

    /// <param name="time">The clock of the grace cut and the suspension check.</param>
    /// <param name="gridEngineNotify">Under Grid Engine, not forwarding: SIGUSR1/SIGUSR2 mean what -notify means.</param>
    public SignalRouter(TimeProvider time, bool gridEngineNotify)
    {
        _time = time;
        _gridEngineNotify = gridEngineNotify;
        _signals = new WorkerSignals(OnStop, OnForward);
    }

    /// <summary>The scheduler's window from its stop signal to its SIGKILL, once known; null before.</summary>
    public TimeSpan? KillWindow
    {
        get
        {
            lock (_gate)
            {
                return _killWindow;
            }
        }
    }

    /// <summary>
    /// How long is left of the kill window since the first stop signal (less a half-second for the
    /// exit itself); null when there was no stop signal or the window is unknown.
    /// </summary>
    public TimeSpan? WindowLeft()
    {
        lock (_gate)
        {
            if (_stopSignal == 0 || _killWindow is not { } window)
            {
                return null;
            }

            var left = window - _time.GetElapsedTime(_stoppedAt) - TimeSpan.FromMilliseconds(500);
            return left > TimeSpan.Zero ? left : TimeSpan.Zero;
        }
    }

    /// <summary>The scheduler's kill window, as read from it; a stop already under way is fitted into it.</summary>
    public void SetKillWindow(TimeSpan window, string source)
    {
        lock (_gate)
        {
            (_killWindow, _killWindowSource) = (window, source);
            if (_stopSignal != 0 && _command is not null)
            {
                CutGrace();
            }
        }
    }

    /// <summary>What SIGUSR2 under Grid Engine stops the command for (a time limit, when it is h_rt); null for a plain outside stop.</summary>
    public void OnNotifiedKill(Func<StopRequest?> request)
    {
        lock (_gate)
        {
            _notifiedKill = request;
        }
    }

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
    public void Dispose()
    {
        _signals.Dispose();
        lock (_gate)
        {
            _graceCut?.Dispose();
            _suspensionCheck?.Dispose();
        }
    }

    private void OnStop(int signal)
    {
        bool first;
        lock (_gate)
        {
            first = _stopSignal == 0;
            if (first)
            {
                _stopSignal = signal;
                _stoppedAt = _time.GetTimestamp();
            }

            RouteStop(signal, null);
        }

        // Outside the lock: cancellation runs its callbacks (HTTP requests, waits) on this thread.
        if (first)
        {
            _stopped.Cancel();
        }
    }

    /// <summary>What a stop signal does to the command, if there is one yet; called under the lock.</summary>
    private void RouteStop(int signal, StopRequest? request)
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
            _command.RequestStop(request ?? OutsideStop(signal));
            CutGrace();
        }
    }

    /// <summary>Fits the grace into half the kill window, leaving the other half to report; under the lock.</summary>
    private void CutGrace()
    {
        if (_killWindow is not { } window || _graceCut is not null || _command is not { } command)
        {
            return;
        }

        var left = window / 2 - _time.GetElapsedTime(_stoppedAt);
        _graceCut = _time.CreateTimer(static state => ((SupervisedCommand)state!).SkipGrace(), command, left > TimeSpan.Zero ? left : TimeSpan.Zero, Timeout.InfiniteTimeSpan);
        command.NoteGraceLimit(window / 2, _killWindowSource ?? "the scheduler's kill window");
    }

    private void OnForward(int signal)
    {
        if (_gridEngineNotify && signal is Signals.Usr2)
        {
            OnNotifiedKill(signal);
            return;
        }

        lock (_gate)
        {
            if (_gridEngineNotify && signal is Signals.Usr1)
            {
                SuspendOnNotice();
                return;
            }

            if (signal == Signals.Cont)
            {
                _resumedSinceNotice = true;
            }

            _command?.Forward(signal);
        }
    }

    /// <summary>SIGUSR2 under Grid Engine: the kill comes in the notify time; stop now, as a time limit when it is h_rt.</summary>
    private void OnNotifiedKill(int signal)
    {
        bool first;
        lock (_gate)
        {
            first = _stopSignal == 0;
            if (first)
            {
                _stopSignal = signal;
                _stoppedAt = _time.GetTimestamp();
            }

            var request = _notifiedKill?.Invoke() ?? new StopRequest(
                StopReason.OutsideSignal,
                Signals.Term,
                "the job was stopped from outside: Grid Engine announced its kill with SIGUSR2 (-notify; qdel or a limit)");
            RouteStop(signal, request);
        }

        if (first)
        {
            _stopped.Cancel();
        }
    }

    /// <summary>
    /// SIGUSR1 under Grid Engine: the job is suspended in the notify time, by a SIGSTOP that reaches
    /// the worker but not the command's own session; so the command is suspended now. Should no
    /// suspension follow (the worker never stopped: no SIGCONT within twice the window), it is resumed.
    /// Under the lock.
    /// </summary>
    private void SuspendOnNotice()
    {
        if (_command is not { } command || command.Exited.IsCompleted)
        {
            return;
        }

        command.Forward(Signals.Stop);
        _suspendedOnNotice = true;
        _resumedSinceNotice = false;
        var check = (_killWindow ?? TimeSpan.FromSeconds(60)) * 2;
        _suspensionCheck?.Dispose();
        _suspensionCheck = _time.CreateTimer(static state => ((SignalRouter)state!).ResumeIfNotSuspended(), this, check, Timeout.InfiniteTimeSpan);
    }

    private void ResumeIfNotSuspended()
    {
        lock (_gate)
        {
            if (_suspendedOnNotice && !_resumedSinceNotice)
            {
                _command?.Forward(Signals.Cont);
            }

            _suspendedOnNotice = false;
        }
    }
}
