namespace WorkerNode.Execution;

/// <summary>Where one of the command's output streams goes (besides its tail, always kept).</summary>
public abstract record OutputTarget
{
    private OutputTarget()
    {
    }

    /// <summary>Appended to a file, created owner-writable only (0644 before the umask).</summary>
    public sealed record File(string Path) : OutputTarget;

    /// <summary>Copied to one of the worker's own descriptors (1 or 2), as if inherited.</summary>
    public sealed record Passthrough(int Descriptor) : OutputTarget;

    /// <summary>Thrown away (the protocol's empty log directory).</summary>
    public sealed record Discard : OutputTarget;

    /// <summary>The path shown to users and the server: the file's path, or /dev/null.</summary>
    public string DisplayPath => this switch
    {
        File file => file.Path,
        Passthrough { Descriptor: 1 } => "/dev/stdout",
        Passthrough => "/dev/stderr",
        _ => "/dev/null",
    };
}
