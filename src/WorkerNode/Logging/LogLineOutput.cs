namespace WorkerNode.Logging;

/// <summary>Where formatted log lines go: one call per whole line (UTF-8, ending in '\n').</summary>
public abstract class LogLineOutput
{
    /// <summary>Hands one line over; never throws, and never blocks on the destination for a descriptor.</summary>
    public abstract void WriteLine(ReadOnlySpan<byte> line);
}
