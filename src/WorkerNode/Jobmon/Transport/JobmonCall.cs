namespace WorkerNode.Jobmon.Transport;

/// <summary>One request to a route: what to send, and how to name it (and its subject) in messages.</summary>
/// <param name="Path">Below the route prefix, without a leading slash: <c>task_instance/12/log_running</c>.</param>
/// <param name="Body">The JSON body; null sends an empty one (GET).</param>
/// <param name="TaskInstanceId">For the structlog header, once known.</param>
/// <param name="Subject">What an unknown-id answer is about: <c>task instance 12</c>.</param>
/// <param name="Hint">Which flags to check when the server does not know the subject.</param>
internal sealed record JobmonCall(HttpMethod Method, string Path, byte[]? Body, long? TaskInstanceId, string Subject, string Hint)
{
    public static JobmonCall ForTaskInstance(long taskInstanceId, string route, byte[] body) =>
        new(HttpMethod.Post, $"task_instance/{taskInstanceId}/{route}", body, taskInstanceId, $"task instance {taskInstanceId}", "--task_instance_id");

    /// <summary>e.g. <c>POST /task_instance/12/log_running</c>.</summary>
    public string Label => $"{Method} /{Path}";
}
