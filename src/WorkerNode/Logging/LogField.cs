namespace WorkerNode.Logging;

/// <summary>One structured key/value pair on a log line; write it as a tuple: <c>log.Info("started", ("pid", pid))</c>.</summary>
public readonly record struct LogField(string Key, object? Value)
{
    public static implicit operator LogField((string Key, object? Value) field) => new(field.Key, field.Value);
}
