namespace WorkerNode.Jobmon;

/// <summary>A server call that failed; the message is one line naming what and why.</summary>
public abstract class JobmonException : Exception
{
    protected JobmonException(string message, Exception? inner = null)
        : base(message, inner)
    {
    }
}
