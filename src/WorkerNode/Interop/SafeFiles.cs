using System.Text;

namespace WorkerNode.Interop;

/// <summary>
/// Creating and opening files without trusting the names in a directory others may write to:
/// new files are created with O_EXCL (a name someone planted, even a dangling symlink, fails
/// instead of being followed), every open uses O_NOFOLLOW, and status is read from the opened
/// descriptor, not from the name, so nothing can be swapped between the check and the use.
/// Errors are <see cref="IOException"/>s whose HResult is the errno and whose message is strerror's.
/// </summary>
internal static unsafe class SafeFiles
{
    /// <summary>The effective uid: whose files these are.</summary>
    internal static uint EffectiveUid => Libc.geteuid();

    /// <summary>Creates a new file for writing; fails with EEXIST when the name exists in any form (file, symlink, directory).</summary>
    internal static int CreateExclusive(string path, UnixFileMode mode) =>
        Open(path, LibcConstants.OWrOnly | LibcConstants.OCreat | LibcConstants.OExcl | LibcConstants.ONoFollow | LibcConstants.OCloExec, mode);

    /// <summary>
    /// Opens a file for appending, creating it with <paramref name="mode"/> when missing, never through a
    /// final symlink (ELOOP). O_APPEND makes every write land at the end, whoever else writes to the file.
    /// </summary>
    internal static int OpenForAppend(string path, UnixFileMode mode) =>
        Open(path, LibcConstants.OWrOnly | LibcConstants.OCreat | LibcConstants.OAppend | LibcConstants.ONoFollow | LibcConstants.OCloExec, mode);

    /// <summary>Opens an existing file (or directory) read-only, never through a final symlink.</summary>
    internal static int OpenForReading(string path) =>
        Open(path, LibcConstants.ORdOnly | LibcConstants.ONoFollow | LibcConstants.OCloExec, 0);

    /// <summary>Status of an open descriptor.</summary>
    internal static FileStatus Status(int fd)
    {
        var buffer = stackalloc byte[LibcConstants.StatxBytes];
        fixed (byte* empty = "\0"u8)
        {
            if (Libc.syscall_statx(LibcConstants.SysStatx, fd, empty, LibcConstants.AtEmptyPath, LibcConstants.StatxBasicStats, buffer) != 0)
            {
                var errno = Errno.Last;
                throw new IOException(Errno.Describe(errno), errno);
            }
        }

        return Parse(buffer);
    }

    /// <summary>Status of a name (of the link itself when <paramref name="followLinks"/> is false); null when it does not exist.</summary>
    internal static FileStatus? TryStatus(string path, bool followLinks)
    {
        var buffer = stackalloc byte[LibcConstants.StatxBytes];
        var name = Encoding.UTF8.GetBytes(path + "\0");
        fixed (byte* pointer = name)
        {
            if (Libc.syscall_statx(LibcConstants.SysStatx, LibcConstants.AtFdCwd, pointer, followLinks ? 0 : LibcConstants.AtSymlinkNoFollow, LibcConstants.StatxBasicStats, buffer) != 0)
            {
                var errno = Errno.Last;
                if (errno is LibcConstants.ENoEnt or LibcConstants.ENotDir)
                {
                    return null;
                }

                throw new IOException(Errno.Describe(errno), errno);
            }
        }

        return Parse(buffer);
    }

    /// <summary>Creates one directory with <paramref name="mode"/> (less the umask); an existing one is fine. Throws IOException (HResult: errno).</summary>
    internal static void CreateDirectory(string path, UnixFileMode mode)
    {
        var name = Encoding.UTF8.GetBytes(path + "\0");
        fixed (byte* pointer = name)
        {
            if (Libc.mkdir(pointer, (uint)mode) != 0 && Errno.Last is var errno && errno != LibcConstants.EExist)
            {
                throw new IOException(Errno.Describe(errno), errno);
            }
        }
    }

    /// <summary>Removes a name (never what a symlink points to); false when it could not be removed.</summary>
    internal static bool TryUnlink(string path)
    {
        var name = Encoding.UTF8.GetBytes(path + "\0");
        fixed (byte* pointer = name)
        {
            return Libc.unlink(pointer) == 0;
        }
    }

    /// <summary>Whether this process may create and remove entries in a directory (access(2) with W_OK | X_OK: the kernel's own answer, groups and ACLs included).</summary>
    internal static bool CanWriteIn(string directory)
    {
        var name = Encoding.UTF8.GetBytes(directory + "\0");
        fixed (byte* pointer = name)
        {
            return Libc.access(pointer, 2 | 1) == 0;
        }
    }

    /// <summary>Takes an exclusive advisory lock without waiting; false when another process holds it.</summary>
    internal static bool TryLockExclusive(int fd)
    {
        while (true)
        {
            if (Libc.flock(fd, LibcConstants.LockExclusive | LibcConstants.LockNonBlocking) == 0)
            {
                return true;
            }

            if (Errno.Last != LibcConstants.EIntr)
            {
                return false;
            }
        }
    }

    /// <summary>
    /// Whether a directory holds an entry whose name <paramref name="matters"/> (the name's UTF-8 bytes, without
    /// its NUL; "." and ".." are never asked about); null when there is no directory at <paramref name="path"/>.
    /// One open(O_DIRECTORY) and getdents64 until the first entry that matters or the end: for a directory of a
    /// few entries, four system calls in all (.NET's enumeration, measured with strace, adds an lstat and an fstat
    /// of the directory and builds an object per entry; the listing that needs those uses it). Reads names only: it never follows or opens an
    /// entry, so a name planted there changes nothing but the answer. Throws IOException (HResult: errno).
    /// </summary>
    internal static bool? HasEntry(string path, EntryNamePredicate matters)
    {
        ArgumentNullException.ThrowIfNull(matters);
        int fd;
        try
        {
            fd = Open(path, LibcConstants.ORdOnly | LibcConstants.ODirectory | LibcConstants.OCloExec, 0);
        }
        catch (IOException exception) when (exception.HResult is LibcConstants.ENoEnt or LibcConstants.ENotDir)
        {
            return null;
        }

        try
        {
            const int Size = 4096;
            var buffer = stackalloc byte[Size];
            while (true)
            {
                var read = Libc.getdents64(fd, buffer, Size);
                if (read < 0)
                {
                    var errno = Errno.Last;
                    if (errno == LibcConstants.EIntr)
                    {
                        continue;
                    }

                    throw new IOException(Errno.Describe(errno), errno);
                }

                if (read == 0)
                {
                    return false;
                }

                // struct linux_dirent64: d_ino (8 bytes), d_off (8), d_reclen (2), d_type (1), d_name (NUL-terminated).
                for (var offset = 0L; offset < read;)
                {
                    var entry = buffer + offset;
                    var name = new ReadOnlySpan<byte>(entry + 19, *(ushort*)(entry + 16) - 19);
                    name = name[..name.IndexOf((byte)0)];
                    if (!name.SequenceEqual("."u8) && !name.SequenceEqual(".."u8) && matters(name))
                    {
                        return true;
                    }

                    offset += *(ushort*)(entry + 16);
                }
            }
        }
        finally
        {
            Libc.close(fd);
        }
    }

    private static int Open(string path, int flags, UnixFileMode mode)
    {
        var name = Encoding.UTF8.GetBytes(path + "\0");
        fixed (byte* pointer = name)
        {
            while (true)
            {
                var fd = Libc.open(pointer, flags, (uint)mode);
                if (fd >= 0)
                {
                    return fd;
                }

                var errno = Errno.Last;
                if (errno != LibcConstants.EIntr)
                {
                    throw new IOException(Errno.Describe(errno), errno);
                }
            }
        }
    }

    // struct statx: stx_uid at offset 20, stx_mode (16 bits) at 28.
    private static FileStatus Parse(byte* buffer) => new(*(uint*)(buffer + 20), *(ushort*)(buffer + 28));
}
