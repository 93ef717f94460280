namespace WorkerNode.Interop;

/// <summary>wait4 for any child, decoded; and whether any is left.</summary>
internal static unsafe class ChildWait
{
    /// <summary>
    /// Blocks until some child ends and reaps it (including children that did not ask for
    /// SIGCHLD). Returns false when there is none left (ECHILD), or wait4 fails otherwise.
    /// </summary>
    internal static bool WaitAny(out int pid, out WaitStatus status)
    {
        while (true)
        {
            int raw;
            var result = Libc.wait4(-1, &raw, LibcConstants.WAll, null);
            if (result > 0)
            {
                pid = result;
                status = WaitStatus.Decode(raw);
                return true;
            }

            if (Errno.Last == LibcConstants.EIntr)
            {
                continue;
            }

            pid = 0;
            status = default;
            return false;
        }
    }

    /// <summary>
    /// True while the worker has a child, running or ended and not yet reaped; reaps nothing and
    /// never blocks (waitid with WNOHANG | WNOWAIT). Only ECHILD means none is left.
    /// </summary>
    internal static bool AnyLeft()
    {
        var info = stackalloc byte[LibcConstants.SigInfoBytes];
        while (Libc.waitid(LibcConstants.PAll, 0, info, LibcConstants.WExited | LibcConstants.WNoHang | LibcConstants.WNoWait | LibcConstants.WAll) != 0)
        {
            if (Errno.Last != LibcConstants.EIntr)
            {
                return Errno.Last != LibcConstants.EChild;
            }
        }

        return true;
    }
}
