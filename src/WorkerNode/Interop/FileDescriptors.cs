namespace WorkerNode.Interop;

/// <summary>Raw file-descriptor I/O for pipes and sinks, retrying EINTR and partial writes.</summary>
internal static unsafe class FileDescriptors
{
    /// <summary>A close-on-exec pipe: (read end, write end).</summary>
    internal static (int Read, int Write) CreatePipe()
    {
        var fds = stackalloc int[2];
        Errno.ThrowIfMinusOne(Libc.pipe2(fds, LibcConstants.OCloExec), "pipe2");
        return (fds[0], fds[1]);
    }

    /// <summary>Asks for a larger pipe buffer, so a fast writer blocks less often; best effort.</summary>
    internal static void TryGrowPipe(int fd, int bytes) => Libc.fcntl(fd, LibcConstants.FSetPipeSize, bytes);

    internal static void Close(int fd)
    {
        if (fd >= 0)
        {
            Libc.close(fd);
        }
    }

    internal static bool IsOpen(int fd) => Libc.fcntl(fd, LibcConstants.FGetFd, 0) != -1;

    /// <summary>Reads what is available (blocking until something is); 0 at end of file; -errno on error.</summary>
    internal static long Read(int fd, Span<byte> buffer)
    {
        fixed (byte* start = buffer)
        {
            while (true)
            {
                var count = Libc.read(fd, start, buffer.Length);
                if (count >= 0)
                {
                    return count;
                }

                var errno = Errno.Last;
                if (errno != LibcConstants.EIntr)
                {
                    return -errno;
                }
            }
        }
    }

    /// <summary>Writes all of the buffer; 0 on success, the errno otherwise.</summary>
    internal static int WriteAll(int fd, ReadOnlySpan<byte> buffer) => WriteAll(fd, buffer, out _);

    /// <summary>Writes all of the buffer; 0 on success, the errno otherwise, with how much was written before it.</summary>
    internal static int WriteAll(int fd, ReadOnlySpan<byte> buffer, out int written)
    {
        written = 0;
        fixed (byte* start = buffer)
        {
            var offset = 0;
            while (offset < buffer.Length)
            {
                var count = Libc.write(fd, start + offset, buffer.Length - offset);
                if (count < 0)
                {
                    var errno = Errno.Last;
                    if (errno == LibcConstants.EIntr)
                    {
                        continue;
                    }

                    written = offset;
                    return errno;
                }

                offset += (int)count;
            }

            written = offset;
            return 0;
        }
    }

    /// <summary>
    /// Makes sure descriptors 0, 1 and 2 exist (a scheduler may start us with one closed), so
    /// that pipes created later never land on them and confuse the command.
    /// </summary>
    internal static void EnsureStandardDescriptors()
    {
        for (var fd = 0; fd <= 2; fd++)
        {
            if (IsOpen(fd))
            {
                continue;
            }

            fixed (byte* devNull = "/dev/null\0"u8)
            {
                // open() returns the lowest free descriptor, which is this one.
                Libc.open(devNull, fd == 0 ? LibcConstants.ORdOnly : 2 /* O_RDWR */, 0);
            }
        }
    }

    /// <summary>An anonymous in-memory file holding the given bytes; -1 with errno when unavailable.</summary>
    internal static int CreateMemoryFile(string name, ReadOnlySpan<byte> content)
    {
        var nameBytes = System.Text.Encoding.UTF8.GetBytes(name + "\0");
        int fd;
        fixed (byte* namePointer = nameBytes)
        {
            // MFD_EXEC says "executable on purpose" to kernels that ask (6.3+); older ones refuse the flag.
            fd = Libc.memfd_create(namePointer, LibcConstants.MfdCloExec | LibcConstants.MfdExec);
            if (fd < 0 && Errno.Last == LibcConstants.EInval)
            {
                fd = Libc.memfd_create(namePointer, LibcConstants.MfdCloExec);
            }
        }

        if (fd < 0)
        {
            return -1;
        }

        if (WriteAll(fd, content) != 0)
        {
            Close(fd);
            return -1;
        }

        return fd;
    }
}
