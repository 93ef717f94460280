using Refit;

namespace WorkerNode.Jobmon.Transport;

/// <summary>
/// The routes of PROTOCOL.md §4 as a Refit interface; Refit's source generator writes its
/// implementation at build time (no reflection: the worker is a Native AOT binary). Each method
/// returns the raw response, headers read and body not yet: <see cref="JobmonClient"/> reads it up
/// to a bound and classifies it (PROTOCOL.md §3), which is why no method deserializes for itself.
/// Every request carries client_jobmon_version, the structlog header, and a JSON content type
/// (also on the GET, as the Python client sends it).
/// </summary>
internal interface IJobmonApi
{
    /// <summary>The HttpClient from IHttpClientFactory that the generated implementation sends with.</summary>
    HttpClient Client { get; }

    [Get("/get_array_task_instance_id/{arrayId}/{batchNumber}/{arrayStepId}")]
    Task<HttpResponseMessage> GetArrayTaskInstanceId(
        long arrayId,
        long batchNumber,
        long arrayStepId,
        [Body] HttpContent body,
        [Query, AliasAs("client_jobmon_version")] string clientJobmonVersion,
        [Header(StructlogHeader)] string structlogContext,
        [Header("Authorization")] string? authorization,
        CancellationToken cancellationToken);

    [Post("/task_instance/{taskInstanceId}/log_running")]
    Task<HttpResponseMessage> LogRunning(
        long taskInstanceId,
        [Body] HttpContent body,
        [Query, AliasAs("client_jobmon_version")] string clientJobmonVersion,
        [Header(StructlogHeader)] string structlogContext,
        [Header("Authorization")] string? authorization,
        CancellationToken cancellationToken);

    [Post("/task_instance/{taskInstanceId}/log_report_by")]
    Task<HttpResponseMessage> LogReportBy(
        long taskInstanceId,
        [Body] HttpContent body,
        [Query, AliasAs("client_jobmon_version")] string clientJobmonVersion,
        [Header(StructlogHeader)] string structlogContext,
        [Header("Authorization")] string? authorization,
        CancellationToken cancellationToken);

    [Post("/task_instance/{taskInstanceId}/log_done")]
    Task<HttpResponseMessage> LogDone(
        long taskInstanceId,
        [Body] HttpContent body,
        [Query, AliasAs("client_jobmon_version")] string clientJobmonVersion,
        [Header(StructlogHeader)] string structlogContext,
        [Header("Authorization")] string? authorization,
        CancellationToken cancellationToken);

    [Post("/task_instance/{taskInstanceId}/log_error_worker_node")]
    Task<HttpResponseMessage> LogErrorWorkerNode(
        long taskInstanceId,
        [Body] HttpContent body,
        [Query, AliasAs("client_jobmon_version")] string clientJobmonVersion,
        [Header(StructlogHeader)] string structlogContext,
        [Header("Authorization")] string? authorization,
        CancellationToken cancellationToken);

    /// <summary>
    /// The real server's read-only route of the CLI and GUI (jobmon_server routes/v3/cli/task.py): every instance of
    /// one task with its status label, nodename and distributor id. A spool flush asks it before it delivers a report.
    /// </summary>
    [Get("/task/get_ti_details_viz/{taskId}")]
    Task<HttpResponseMessage> GetTaskInstanceDetails(
        long taskId,
        [Body] HttpContent body,
        [Query, AliasAs("client_jobmon_version")] string clientJobmonVersion,
        [Header(StructlogHeader)] string structlogContext,
        [Header("Authorization")] string? authorization,
        CancellationToken cancellationToken);

    private const string StructlogHeader = Wire.StructlogContext.HeaderName;
}
