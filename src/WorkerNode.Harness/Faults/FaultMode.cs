namespace WorkerNode.Harness.Faults;

/// <summary>How an injected fault spoils a request (wire names in snake_case: <c>wrong_shape</c>).</summary>
public enum FaultMode
{
    /// <summary>Answer the fault's status code without applying the request.</summary>
    Status,

    /// <summary>Wait, then apply and answer only if the client is still there.</summary>
    Delay,

    /// <summary>Drop the connection without answering.</summary>
    Reset,

    /// <summary>Answer 200 with a body that is not JSON.</summary>
    Malformed,

    /// <summary>Answer 200 with JSON of the wrong shape.</summary>
    WrongShape,

    /// <summary>Stop listening on the port for a while, then listen again on the same port.</summary>
    Down,

    /// <summary>Answer 200 with a body of 200 MiB, streamed (chunked, no length announced) until the client stops reading.</summary>
    Oversized,
}
