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
