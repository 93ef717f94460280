namespace WorkerNode.Jobmon;

/// <summary>Sends a final report that was turned into a <see cref="FinalReportEnvelope"/> (for example one read back from the spool).</summary>
public interface IFinalReportSender
{
    /// <summary>The per-request timeout (http.request_timeout): how long one attempt may take before it is given up.</summary>
    TimeSpan RequestTimeout { get; }

    /// <summary>POSTs the envelope's body to its route and returns the status the server answers.</summary>
    Task<TaskInstanceStatus> SendEnvelopeAsync(FinalReportEnvelope envelope, CancellationToken cancellationToken);

    /// <summary>
    /// GET /task/get_ti_details_viz/{task_id} (read-only): the instance as the server holds it, before a spooled report
    /// is sent to it. Transient failures throw as any call does (<see cref="ServerUnreachableException"/>).
    /// </summary>
    Task<TaskInstanceLookup> LookUpTaskInstanceAsync(long taskId, long taskInstanceId, CancellationToken cancellationToken);

    /// <summary>POST /task_instance/{id}/log_report_by, one attempt: brings an instance in T back to R before its done report.</summary>
    Task<TaskInstanceStatus> LogReportByAsync(long taskInstanceId, HeartbeatReport report, CancellationToken cancellationToken);
}
