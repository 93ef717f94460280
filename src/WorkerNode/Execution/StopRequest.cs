namespace WorkerNode.Execution;

/// <summary>A request to stop the command: why, the polite signal to send first, and a sentence for the report.</summary>
public sealed record StopRequest(StopReason Reason, int Signal, string Description);
