using System.Text;

namespace WorkerNode.Interop;

/// <summary>
/// Reads small pseudo-files (/proc, cgroupfs) with plain open/read/close into a caller's buffer:
/// no handle object, no string, no allocation, because the monitor reads hundreds of them a second.
/// </summary>
internal static unsafe class ProcFiles
{
    /// <summary>
    /// The whole of a pseudo-file as text, or null when it cannot be read. Cheaper at start-up than the
    /// FileStream machinery, for files read once (/proc/self/mountinfo, /proc/self/cgroup).
    /// </summary>
    internal static string? ReadText(string path)
    {
        var nulTerminated = Encoding.UTF8.GetBytes(path + "\0");
        for (var size = 16 << 10; size <= 16 << 20; size *= 4)
        {
            var buffer = GC.AllocateUninitializedArray<byte>(size);
            var length = Read(nulTerminated, buffer);
            if (length < 0)
            {
                return null;
            }

            if (length < buffer.Length)
            {
                return Encoding.UTF8.GetString(buffer, 0, length);
            }
        }

        return null;
    }

    /// <summary>
    /// Reads <paramref name="path"/> (UTF-8, NUL-terminated) from the start until end of file or until
    /// <paramref name="buffer"/> is full. Returns the byte count, or -1 when the file cannot be opened or read
    /// (the process has ended, permission denied, no such file).
    /// </summary>
    internal static int Read(ReadOnlySpan<byte> path, Span<byte> buffer)
    {
        int fd;
        fixed (byte* pathPointer = path)
        {
            do
            {
                fd = Libc.open(pathPointer, LibcConstants.ORdOnly | LibcConstants.OCloExec, 0);
            }
            while (fd < 0 && Errno.Last == LibcConstants.EIntr);
        }

        if (fd < 0)
        {
            return -1;
        }

        try
        {
            // Files under /proc are generated per read call; loop until end of file, since one
            // read(2) may return less than the whole (children lists, smaps_rollup).
            var total = 0;
            while (total < buffer.Length)
            {
                var count = FileDescriptors.Read(fd, buffer[total..]);
                if (count < 0)
                {
                    return -1;
                }

                if (count == 0)
                {
                    break;
                }

                total += (int)count;
            }

            return total;
        }
        finally
        {
            Libc.close(fd);
        }
    }
}
