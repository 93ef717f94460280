namespace WorkerNode.Jobmon.Resilience;

/// <summary>What one attempt of a request came to, for deciding whether to try again (PROTOCOL.md §3).</summary>
internal enum AnswerKind
{
    /// <summary>200, 302 or 307 with the answer the route expects.</summary>
    Success,

    /// <summary>A 5xx, a 423, a connection error or a per-attempt timeout: retried within the budget.</summary>
    Transient,

    /// <summary>A success status whose body is not the route's answer (often a proxy's page): retried within the budget.</summary>
    Malformed,

    /// <summary>The server's "No row was found" 500: the id is wrong, so retrying cannot help.</summary>
    UnknownTaskInstance,

    /// <summary>Any other status (4xx, unexpected 1xx-3xx): not retried.</summary>
    Refused,

    /// <summary>The server's TLS certificate is not trusted: a configuration problem, not retried.</summary>
    Untrusted,

    /// <summary>Not a server problem (the caller cancelled, a bug): passed on unchanged.</summary>
    NotOurs,
}
