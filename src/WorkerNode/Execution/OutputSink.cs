using WorkerNode.Interop;

namespace WorkerNode.Execution;

/// <summary>An opened <see cref="OutputTarget"/>: the descriptor the pump writes to, and its policy on errors.</summary>
internal sealed class OutputSink : IDisposable
{
    /// <summary>Log files: rw-r--r-- before the umask, so only the owner can ever write them.</summary>
    internal const UnixFileMode LogFileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    private readonly bool _ownsDescriptor;

    private OutputSink(OutputTarget target, int descriptor, bool ownsDescriptor)
    {
        Target = target;
        Descriptor = descriptor;
        _ownsDescriptor = ownsDescriptor;
    }

    public OutputTarget Target { get; }

    /// <summary>-1 when output is discarded.</summary>
    public int Descriptor { get; }

    /// <summary>
    /// A pass-through sink mirrors a descriptor the command could have inherited: when its reader
    /// goes away, the command must get SIGPIPE as it would have. A file sink that fails (disk
    /// full) keeps draining so the command never blocks on a full pipe.
    /// </summary>
    public bool ClosesPipeOnWriteError => Target is OutputTarget.Passthrough;

    /// <summary>
    /// Opens the target, creating a log file's missing directories owner-only (<see cref="FileSafety"/>);
    /// throws <see cref="IOException"/> with a one-line reason. A log file is appended to only when it
    /// is not a symlink (O_NOFOLLOW) and, if it is a regular file that exists, belongs to the worker's user:
    /// otherwise someone who can write to the directory could have the command's output land in a file of
    /// their choosing, or read it.
    /// </summary>
    public static OutputSink Open(OutputTarget target)
    {
        switch (target)
        {
            case OutputTarget.File file:
                var directory = Path.GetDirectoryName(Path.GetFullPath(file.Path));
                if (!string.IsNullOrEmpty(directory))
                {
                    FileSafety.EnsureDirectory(directory);
                }

                return new OutputSink(target, OpenLogFile(file.Path), ownsDescriptor: true);
            case OutputTarget.Passthrough passthrough:
                return new OutputSink(target, passthrough.Descriptor, ownsDescriptor: false);
            default:
                return new OutputSink(target, -1, ownsDescriptor: false);
        }
    }

    private static int OpenLogFile(string path)
    {
        int fd;
        try
        {
            fd = SafeFiles.OpenForAppend(path, LogFileMode);
        }
        catch (IOException exception)
        {
            throw new IOException(FileSafety.Reason(exception), exception);
        }

        try
        {
            var status = SafeFiles.Status(fd);
            if (status.IsRegularFile && status.OwnerUid != SafeFiles.EffectiveUid)
            {
                throw new IOException($"the file exists and belongs to another user (uid {status.OwnerUid})");
            }

            return fd;
        }
        catch
        {
            FileDescriptors.Close(fd);
            throw;
        }
    }

    /// <summary>Writes the chunk; 0 on success, else the errno.</summary>
    public int Write(ReadOnlySpan<byte> data, out int written)
    {
        if (Descriptor < 0)
        {
            written = data.Length;
            return 0;
        }

        return FileDescriptors.WriteAll(Descriptor, data, out written);
    }

    public void Dispose()
    {
        if (_ownsDescriptor)
        {
            FileDescriptors.Close(Descriptor);
        }
    }
}
