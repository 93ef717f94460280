namespace WorkerNode.Jobmon;

/// <summary>Sends a final report that was turned into a <see cref="FinalReportEnvelope"/> (for example one read back from the spool).</summary>
public interface IFinalReportSender
{
    /// <summary>The per-request timeout (http.request_timeout): how long one attempt may take before it is given up.</summary>
    TimeSpan RequestTimeout { get; }

    /// <summary>POSTs the envelope's body to its route and returns the status the server answers.</summary>
    Task<TaskInstanceStatus> SendEnvelopeAsync(FinalReportEnvelope envelope, CancellationToken cancellationToken);
}
