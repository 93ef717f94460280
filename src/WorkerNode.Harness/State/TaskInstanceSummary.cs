namespace WorkerNode.Harness.State;

/// <summary>One line of the admin listing of task instances.</summary>
public sealed record TaskInstanceSummary(long Id, string Status, string Name, int HeartbeatCount, int ErrorCount, int RequestCount);
