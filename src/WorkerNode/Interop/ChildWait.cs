namespace WorkerNode.Interop;

/// <summary>wait4 for any child, decoded.</summary>
internal static unsafe class ChildWait
{
    /// <summary>
    /// Blocks until some child ends and reaps it (including children that did not ask for
    /// SIGCHLD). Returns false with <paramref name="noChildren"/> set when there are none left.
    /// </summary>
    internal static bool WaitAny(out int pid, out WaitStatus status, out bool noChildren)
    {
        while (true)
        {
            int raw;
            var result = Libc.wait4(-1, &raw, LibcConstants.WAll, null);
            if (result > 0)
            {
                pid = result;
                status = WaitStatus.Decode(raw);
                noChildren = false;
                return true;
            }

            var errno = Errno.Last;
            if (errno == LibcConstants.EIntr)
            {
                continue;
            }

            pid = 0;
            status = default;
            noChildren = errno == LibcConstants.EChild;
            return false;
        }
    }
}
