namespace WorkerNode.Jobmon;

/// <summary>The server answered, but not as the protocol says (a 4xx, or a body of the wrong shape).</summary>
public sealed class UnexpectedServerAnswerException : JobmonException
{
    public UnexpectedServerAnswerException(string message, Exception? inner = null)
        : base(message, inner)
    {
    }
}
