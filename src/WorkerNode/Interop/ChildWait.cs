namespace WorkerNode.Interop;

/// <summary>wait4 for any child, decoded.</summary>
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
}
