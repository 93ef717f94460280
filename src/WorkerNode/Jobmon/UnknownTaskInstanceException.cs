namespace WorkerNode.Jobmon;

/// <summary>The server has no such task instance (its "No row was found" 500); never retried.</summary>
public sealed class UnknownTaskInstanceException : JobmonException
{
    public UnknownTaskInstanceException(string message)
        : base(message)
    {
    }
}
