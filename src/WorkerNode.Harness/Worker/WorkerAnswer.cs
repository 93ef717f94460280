namespace WorkerNode.Harness.Worker;

/// <summary>A route's 200 body, with the instance it concerned (for the request record).</summary>
internal sealed record WorkerAnswer(object Body, long? TaskInstanceId);
