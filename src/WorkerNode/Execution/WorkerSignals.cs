using System.Runtime.InteropServices;
using WorkerNode.Interop;

namespace WorkerNode.Execution;

/// <summary>
/// The signals a worker receives from its scheduler, user or container runtime. SIGTERM, SIGINT,
/// SIGHUP and SIGQUIT mean "stop" (preemption, a time limit, scancel, Ctrl-C); SIGUSR1, SIGUSR2,
/// SIGCONT and SIGWINCH are only passed on to the command (UGE's -notify and `scancel --signal`
/// rely on it). None of them terminates the worker itself: it must stay to clean up and report.
/// </summary>
internal sealed class WorkerSignals : IDisposable
{
    private static readonly (PosixSignal Signal, int Number)[] StopSignals =
    [
        (PosixSignal.SIGTERM, Signals.Term),
        (PosixSignal.SIGINT, Signals.Int),
        (PosixSignal.SIGHUP, Signals.Hup),
        (PosixSignal.SIGQUIT, Signals.Quit),
    ];

    private static readonly (PosixSignal Signal, int Number)[] ForwardedSignals =
    [
        ((PosixSignal)Signals.Usr1, Signals.Usr1),
        ((PosixSignal)Signals.Usr2, Signals.Usr2),
        (PosixSignal.SIGCONT, Signals.Cont),
        (PosixSignal.SIGWINCH, Signals.Winch),
    ];

    private readonly List<PosixSignalRegistration> _registrations = [];

    /// <param name="onStop">Called with the signal number of each stop signal received.</param>
    /// <param name="onForward">Called with the signal number of each signal to pass on.</param>
    public WorkerSignals(Action<int> onStop, Action<int> onForward)
    {
        foreach (var (signal, number) in StopSignals)
        {
            _registrations.Add(PosixSignalRegistration.Create(signal, context =>
            {
                context.Cancel = true;
                onStop(number);
            }));
        }

        foreach (var (signal, number) in ForwardedSignals)
        {
            _registrations.Add(PosixSignalRegistration.Create(signal, context =>
            {
                context.Cancel = true;
                onForward(number);
            }));
        }
    }

    public void Dispose()
    {
        foreach (var registration in _registrations)
        {
            registration.Dispose();
        }
    }
}
