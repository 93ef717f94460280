namespace WorkerNode.Jobmon;

/// <summary>
/// The retry budget ran out without an answer that counts (connection errors, timeouts, 5xx, 423),
/// or the server's TLS certificate is not trusted (not retried: it will not become trusted).
/// </summary>
public sealed class ServerUnreachableException : JobmonException
{
    public ServerUnreachableException(string message, Exception? inner = null)
        : base(message, inner)
    {
    }
}
