namespace WorkerNode.Jobmon.Wire;

/// <summary>
/// The X-Server-Structlog-Context header: who is calling, for the server's own logs. Values are
/// strings, as the Python client sends them; the task instance id is left out until known.
/// </summary>
internal sealed record StructlogContext(string? TelemetryTaskInstanceId, string? TelemetryClusterName)
{
    public const string HeaderName = "X-Server-Structlog-Context";
}
