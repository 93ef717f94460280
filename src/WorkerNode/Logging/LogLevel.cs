namespace WorkerNode.Logging;

/// <summary>Severity of a worker log line, lowest first.</summary>
public enum LogLevel
{
    Debug,
    Info,
    Warning,
    Error,
}
