namespace WorkerNode.Logging;

/// <summary>One structured key/value pair on a log line.</summary>
public readonly record struct LogField(string Key, object? Value);
