using System.Security.Cryptography;
using Microsoft.Win32.SafeHandles;
using WorkerNode.Execution;
using WorkerNode.Interop;

namespace WorkerNode.Reporting;

/// <summary>
/// Writes a file so that readers see either nothing or all of it, and so that it survives a
/// crash once written: a temporary file in the same directory, fsync, rename, fsync of the directory.
/// The temporary file has an unpredictable name and is created exclusively (O_EXCL, O_NOFOLLOW):
/// a name or symlink planted by someone else is never written through. rename(2) replaces whatever
/// the final name is (a planted symlink included) without following it.
/// </summary>
public static class AtomicFile
{
    /// <summary>Owner-writable only (rw-r--r-- before the umask).</summary>
    public const UnixFileMode DefaultMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    /// <summary>Writes <paramref name="content"/> to <paramref name="path"/>; throws IOException with a one-line reason.</summary>
    public static void Write(string path, ReadOnlySpan<byte> content, UnixFileMode mode = DefaultMode)
    {
        var (full, directory) = Check(path);
        var (temporary, fd) = CreateTemporary(directory, Path.GetFileName(full), "tmp", mode);
        try
        {
            using (var stream = new FileStream(new SafeFileHandle(fd, ownsHandle: true), FileAccess.Write, bufferSize: 0))
            {
                stream.Write(content);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, full, overwrite: true);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            SafeFiles.TryUnlink(temporary);
            throw new IOException(FileSafety.Reason(exception), exception);
        }

        SyncDirectory(directory);
    }

    /// <summary>
    /// Fails early, before a long command runs, when <paramref name="path"/> could not be written later:
    /// a directory, a missing or unsafe directory, no permission. Throws IOException with a one-line reason.
    /// </summary>
    public static void EnsureWritable(string path)
    {
        var (_, directory) = Check(path);
        var (probe, fd) = CreateTemporary(directory, Path.GetFileName(path), "probe", DefaultMode);
        FileDescriptors.Close(fd);
        SafeFiles.TryUnlink(probe);
    }

    private static (string Full, string Directory) Check(string path)
    {
        var full = Path.GetFullPath(path);
        var directory = Path.GetDirectoryName(full) ?? "/";
        if (SafeFiles.TryStatus(full, followLinks: false) is { IsDirectory: true })
        {
            throw new IOException("it is a directory");
        }

        FileSafety.CheckDirectory(directory);
        return (full, directory);
    }

    private static (string Path, int Fd) CreateTemporary(string directory, string name, string suffix, UnixFileMode mode)
    {
        // 128 random bits: no one can plant the name in advance; a collision (EEXIST) just tries another.
        for (var attempt = 0; ; attempt++)
        {
            var temporary = Path.Combine(directory, $".{name}.{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16))}.{suffix}");
            try
            {
                return (temporary, SafeFiles.CreateExclusive(temporary, mode));
            }
            catch (IOException exception) when (exception.HResult == LibcConstants.EExist && attempt < 8)
            {
            }
            catch (IOException exception)
            {
                throw new IOException($"cannot create a file in {directory}: {FileSafety.Reason(exception)}", exception);
            }
        }
    }

    private static void SyncDirectory(string directory)
    {
        try
        {
            using var handle = File.OpenHandle(directory, FileMode.Open, FileAccess.Read);
            RandomAccess.FlushToDisk(handle);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            // Some filesystems refuse to sync a directory; the rename itself has still happened.
        }
    }
}
