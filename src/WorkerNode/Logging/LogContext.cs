namespace WorkerNode.Logging;

/// <summary>
/// The identity of the task a worker serves, written on every log line so that the lines of
/// thousands of workers can be told apart. Fields are filled in as they become known
/// (the task instance id of an array task only after the server has been asked).
/// </summary>
public sealed class LogContext
{
    public long? TaskInstanceId { get; set; }

    public string? DistributorId { get; set; }

    public string? Nodename { get; set; }
}
