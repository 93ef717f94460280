using WorkerNode.Interop;

namespace WorkerNode.Execution;

/// <summary>
/// The rules for every file and directory the worker creates (reports, spool files, the command's
/// log files): missing directories are made owner-only, a directory anyone can write to without the
/// sticky bit is refused (anyone could rename or replace what the worker writes there), and errors
/// are one line in the worker's own words. The files themselves are opened by <see cref="SafeFiles"/>.
/// </summary>
public static class FileSafety
{
    /// <summary>rwx------: directories the worker creates are its owner's alone (less what the umask takes).</summary>
    public const UnixFileMode PrivateDirectoryMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    /// <summary>
    /// Creates <paramref name="directory"/> and any missing parent, each <see cref="PrivateDirectoryMode"/>,
    /// then checks it (<see cref="CheckDirectory"/>). Throws <see cref="IOException"/> with a one-line reason.
    /// </summary>
    public static void EnsureDirectory(string directory)
    {
        var full = Path.GetFullPath(directory);
        var missing = new Stack<string>();
        for (var current = full; !string.IsNullOrEmpty(current); current = Path.GetDirectoryName(current))
        {
            var status = Status(current);
            if (status is not null)
            {
                if (!status.Value.IsDirectory)
                {
                    throw new IOException($"{current} is not a directory");
                }

                break;
            }

            missing.Push(current);
        }

        foreach (var component in missing)
        {
            try
            {
                // One level at a time, so that every directory created gets the mode, not only the last.
                SafeFiles.CreateDirectory(component, PrivateDirectoryMode);
            }
            catch (IOException exception)
            {
                throw new IOException($"cannot create the directory {component}: {Reason(exception)}", exception);
            }
        }

        CheckDirectory(full);
    }

    /// <summary>
    /// Refuses a directory that is missing, not a directory, or writable by everyone without the sticky
    /// bit. Throws <see cref="IOException"/> with a one-line reason.
    /// </summary>
    public static void CheckDirectory(string directory)
    {
        var status = Status(directory) ?? throw new IOException($"the directory {directory} does not exist");
        if (!status.IsDirectory)
        {
            throw new IOException($"{directory} is not a directory");
        }

        if (status.IsWorldWritableWithoutSticky)
        {
            throw new IOException($"the directory {directory} is writable by everyone and has no sticky bit, so anyone could replace the files written there; use a directory of your own, or make it sticky (chmod +t)");
        }
    }

    /// <summary>An I/O error in the worker's words: the errno's meaning, not a .NET exception text.</summary>
    public static string Reason(Exception exception) => exception switch
    {
        UnauthorizedAccessException => "permission denied",
        IOException { HResult: var errno } when errno is > 0 and < 4096 => Describe(errno),
        _ => exception.Message,
    };

    /// <summary>What an errno means for a file the worker wanted to create or open.</summary>
    public static string Describe(int errno) => errno switch
    {
        LibcConstants.ELoop => "it is a symbolic link, and the worker never writes through one",
        LibcConstants.EExist => "the name is taken",
        LibcConstants.ENoEnt => "its directory does not exist",
        LibcConstants.EAcces => "permission denied",
        LibcConstants.EIsDir => "it is a directory",
        LibcConstants.ENotDir => "a part of the path is not a directory",
        _ => Errno.Describe(errno).ToLowerInvariant(),
    };

    private static FileStatus? Status(string path)
    {
        try
        {
            return SafeFiles.TryStatus(path, followLinks: true);
        }
        catch (IOException exception)
        {
            throw new IOException($"cannot look at {path}: {Reason(exception)}", exception);
        }
    }
}
