namespace WorkerNode.Logging;

/// <summary>How each log line is written: readable key=value text, or one JSON object for log shippers.</summary>
public enum LogFormat
{
    Text,
    Json,
}
