namespace WorkerNode.Logging;

/// <summary>The descriptor the worker's own log goes to.</summary>
public enum LogDestination
{
    /// <summary>File descriptor 1: where the Python worker logs, and so server mode's default.</summary>
    Stdout,

    /// <summary>File descriptor 2: standalone <c>run</c>'s and <c>spool flush</c>'s default.</summary>
    Stderr,
}
