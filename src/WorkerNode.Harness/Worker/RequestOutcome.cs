namespace WorkerNode.Harness.Worker;

/// <summary>What became of a worker request: the status answered (null when the connection was dropped) and whether it was applied.</summary>
internal sealed record RequestOutcome(int? StatusCode, bool Applied, long? TaskInstanceId = null);
