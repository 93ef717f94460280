namespace WorkerNode.Jobmon;

/// <summary>The server answered, but not as the protocol says (a 4xx, or a body of the wrong shape).</summary>
public sealed class UnexpectedServerAnswerException : JobmonException
{
    public UnexpectedServerAnswerException(string message, Exception? inner = null)
        : base(message, inner)
    {
    }

    /// <summary>The HTTP status of the last answer, when there was one (a route an older server lacks answers 404).</summary>
    public int? StatusCode { get; init; }
}
