using WorkerNode.Interop;

namespace WorkerNode.Execution;

/// <summary>An opened <see cref="OutputTarget"/>: the descriptor the pump writes to, and its policy on errors.</summary>
internal sealed class OutputSink : IDisposable
{
    /// <summary>Log files: rw-r--r-- before the umask, so only the owner can ever write them.</summary>
    internal const UnixFileMode LogFileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    /// <summary>Log directories it creates: rwxr-xr-x before the umask, so that a umask of 000 does not let others replace the logs.</summary>
    internal const UnixFileMode LogDirectoryMode = LogFileMode | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;

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

    /// <summary>Opens the target, creating a log file's directory when missing; throws <see cref="IOException"/> with the reason.</summary>
    public static OutputSink Open(OutputTarget target)
    {
        switch (target)
        {
            case OutputTarget.File file:
                var directory = Path.GetDirectoryName(Path.GetFullPath(file.Path));
                if (!string.IsNullOrEmpty(directory))
                {
                    Directory.CreateDirectory(directory, LogDirectoryMode);
                }

                return new OutputSink(target, FileDescriptors.OpenForAppend(file.Path, LogFileMode), ownsDescriptor: true);
            case OutputTarget.Passthrough passthrough:
                return new OutputSink(target, passthrough.Descriptor, ownsDescriptor: false);
            default:
                return new OutputSink(target, -1, ownsDescriptor: false);
        }
    }

    /// <summary>Writes the chunk; 0 on success, else the errno.</summary>
    public int Write(ReadOnlySpan<byte> data) => Descriptor < 0 ? 0 : FileDescriptors.WriteAll(Descriptor, data);

    public void Dispose()
    {
        if (_ownsDescriptor)
        {
            FileDescriptors.Close(Descriptor);
        }
    }
}
