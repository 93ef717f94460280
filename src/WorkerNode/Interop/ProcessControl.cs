namespace WorkerNode.Interop;

/// <summary>Small safe wrappers over the process-control calls: signals, subreaper, usage.</summary>
internal static unsafe class ProcessControl
{
    /// <summary>Sends a signal; false when the target no longer exists (ESRCH) or cannot be signalled.</summary>
    internal static bool TrySignal(int pid, int signal) => Libc.kill(pid, signal) == 0;

    /// <summary>Sends a signal to every process of a process group.</summary>
    internal static bool TrySignalGroup(int processGroupId, int signal) => Libc.kill(-processGroupId, signal) == 0;

    /// <summary>
    /// Makes this process a child subreaper: orphaned descendants (double forks, setsid, nohup &amp;)
    /// are reparented to it instead of to init, so none can escape its clean-up.
    /// </summary>
    internal static bool TryBecomeSubreaper() => Libc.prctl(LibcConstants.PrSetChildSubreaper, 1, 0, 0, 0) == 0;

    /// <summary>Resource usage of every child this process has reaped (and of their reaped descendants).</summary>
    internal static Rusage ReapedChildrenUsage()
    {
        Rusage usage;
        return Libc.getrusage(LibcConstants.RusageChildren, &usage) == 0 ? usage : default;
    }

    /// <summary>
    /// A worker started with SIGCHLD ignored would have its children reaped by the kernel, and
    /// their exit statuses lost; put the default back before starting anything.
    /// </summary>
    internal static void RestoreDefaultChildSignal()
    {
        var action = stackalloc byte[LibcConstants.SigActionBytes];
        if (Libc.sigaction(Signals.Chld, null, action) == 0 && *(nint*)action == LibcConstants.SigIgn)
        {
            Libc.signal(Signals.Chld, LibcConstants.SigDfl);
        }
    }

    /// <summary>
    /// Ends the worker by <paramref name="signal"/>, as its command ended, so that the scheduler's
    /// accounting shows a signal death (Slurm's 0:9, not the 9:0 of exit 137): no core dump (the
    /// worker is not what crashed), the default action restored and the signal unblocked, then raised.
    /// Returns only if the signal does not end the process (e.g. a signal whose default is to ignore).
    /// </summary>
    internal static void DieBySignal(int signal)
    {
        var noCore = stackalloc ulong[2];
        Libc.setrlimit(LibcConstants.RlimitCore, noCore);
        Libc.signal(signal, LibcConstants.SigDfl);
        var set = stackalloc byte[LibcConstants.SigSetBytes];
        Libc.sigemptyset(set);
        Libc.sigaddset(set, signal);
        Libc.pthread_sigmask(LibcConstants.SigUnblock, set, null);
        Libc.raise(signal);
    }

    /// <summary>Clock ticks per second for /proc times (almost always 100).</summary>
    internal static long ClockTicksPerSecond()
    {
        var ticks = Libc.sysconf(LibcConstants.ScClockTicks);
        return ticks > 0 ? ticks : 100;
    }

    /// <summary>Memory page size in bytes.</summary>
    internal static long PageSize()
    {
        var size = Libc.sysconf(LibcConstants.ScPageSize);
        return size > 0 ? size : 4096;
    }
}
