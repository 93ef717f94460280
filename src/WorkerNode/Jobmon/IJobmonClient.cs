namespace WorkerNode.Jobmon;

/// <summary>
/// The routes of the Jobmon REST API v3 that a worker node calls (PROTOCOL.md §4). Every call
/// goes through the resilience pipeline of PROTOCOL.md §3. Failures surface as
/// <see cref="JobmonException"/> subclasses whose message is one line a user can act on.
/// </summary>
public interface IJobmonClient
{
    /// <summary>GET /get_array_task_instance_id/{array_id}/{batch_number}/{array_step_id}.</summary>
    Task<long> GetArrayTaskInstanceIdAsync(long arrayId, long batchNumber, long arrayStepId, CancellationToken cancellationToken);

    /// <summary>POST /task_instance/{id}/log_running; the answer says what to run, and whether to.</summary>
    Task<TaskInstanceAssignment> LogRunningAsync(long taskInstanceId, RunningReport report, CancellationToken cancellationToken);

    /// <summary>
    /// POST /task_instance/{id}/log_report_by (the heartbeat): one attempt, given http.request_timeout
    /// to answer and not retried here: the heartbeat loop decides when to try again, so that at most
    /// one heartbeat is ever in flight.
    /// </summary>
    Task<TaskInstanceStatus> LogReportByAsync(long taskInstanceId, HeartbeatReport report, CancellationToken cancellationToken);

    /// <summary>POST /task_instance/{id}/log_done or /log_error_worker_node, as the report says.</summary>
    Task<TaskInstanceStatus> SendFinalReportAsync(long taskInstanceId, FinalReport report, CancellationToken cancellationToken);
}
