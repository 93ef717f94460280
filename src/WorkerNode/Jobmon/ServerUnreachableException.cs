namespace WorkerNode.Jobmon;

/// <summary>
/// The retry budget ran out without an answer that counts (connection errors, timeouts, 5xx, 423),
/// or the server's TLS certificate is not trusted (not retried: it will not become trusted).
/// </summary>
public sealed class ServerUnreachableException : JobmonException
{
    /// <param name="noContact">
    /// The last attempt never reached a server (connection refused or reset, no such host): evidence
    /// that it is down, unlike a slow answer, a 5xx or a 423 from a server that is there.
    /// </param>
    public ServerUnreachableException(string message, Exception? inner = null, bool noContact = false)
        : base(message, inner)
    {
        NoContact = noContact;
    }

    /// <summary>The last attempt found no server at all (refused, reset, no such host), not a slow or failing one.</summary>
    public bool NoContact { get; }
}
