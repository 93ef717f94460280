namespace WorkerNode.Jobmon.Transport;

/// <summary>One request to a route: what to send, how (the Refit method), and how to name it (and its subject) in messages.</summary>
/// <param name="Path">Below the route prefix, without a leading slash: <c>task_instance/12/log_running</c>.</param>
/// <param name="Body">The JSON body; null sends an empty one (GET).</param>
/// <param name="TaskInstanceId">For the structlog header, once known.</param>
/// <param name="Subject">What an unknown-id answer is about: <c>task instance 12</c>.</param>
/// <param name="Hint">Which flags to check when the server does not know the subject.</param>
/// <param name="Send">The Refit method of the route.</param>
internal sealed record JobmonCall(
    HttpMethod Method,
    string Path,
    byte[]? Body,
    long? TaskInstanceId,
    string Subject,
    string Hint,
    Func<IJobmonApi, JobmonRequest, CancellationToken, Task<HttpResponseMessage>> Send)
{
    /// <summary>A POST to one of the task instance routes; <see cref="ArgumentException"/> for any other route.</summary>
    public static JobmonCall ForTaskInstance(long taskInstanceId, string route, byte[] body) =>
        new(
            HttpMethod.Post,
            $"task_instance/{taskInstanceId}/{route}",
            body,
            taskInstanceId,
            $"task instance {taskInstanceId}",
            "--task_instance_id",
            route switch
            {
                "log_running" => (api, request, token) => api.LogRunning(taskInstanceId, request.Body, request.ClientJobmonVersion, request.StructlogContext, request.Authorization, token),
                "log_report_by" => (api, request, token) => api.LogReportBy(taskInstanceId, request.Body, request.ClientJobmonVersion, request.StructlogContext, request.Authorization, token),
                FinalReportEnvelope.DoneRoute => (api, request, token) => api.LogDone(taskInstanceId, request.Body, request.ClientJobmonVersion, request.StructlogContext, request.Authorization, token),
                FinalReportEnvelope.ErrorRoute => (api, request, token) => api.LogErrorWorkerNode(taskInstanceId, request.Body, request.ClientJobmonVersion, request.StructlogContext, request.Authorization, token),
                _ => throw new ArgumentException($"no task instance route \"{route}\"", nameof(route)),
            });

    /// <summary>The GET that finds an array task's instance id.</summary>
    public static JobmonCall ForArrayStep(long arrayId, long batchNumber, long arrayStepId) =>
        new(
            HttpMethod.Get,
            $"get_array_task_instance_id/{arrayId}/{batchNumber}/{arrayStepId}",
            Body: null,
            TaskInstanceId: null,
            $"array {arrayId} batch {batchNumber} step {arrayStepId}",
            "--array_id, --batch_number, the scheduler's array step id",
            (api, request, token) => api.GetArrayTaskInstanceId(arrayId, batchNumber, arrayStepId, request.Body, request.ClientJobmonVersion, request.StructlogContext, request.Authorization, token));

    /// <summary>The GET of a task's instances (status, nodename, distributor id) that a spool flush checks a report against.</summary>
    public static JobmonCall ForTaskInstanceDetails(long taskId, long taskInstanceId) =>
        new(
            HttpMethod.Get,
            $"task/get_ti_details_viz/{taskId}",
            Body: null,
            taskInstanceId,
            $"task {taskId}",
            "the spooled report's task_id",
            (api, request, token) => api.GetTaskInstanceDetails(taskId, request.Body, request.ClientJobmonVersion, request.StructlogContext, request.Authorization, token));

    /// <summary>e.g. <c>POST /task_instance/12/log_running</c>.</summary>
    public string Label => $"{Method} /{Path}";
}
