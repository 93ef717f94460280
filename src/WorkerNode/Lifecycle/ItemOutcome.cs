namespace WorkerNode.Lifecycle;

/// <summary>How one item went for the loop: whether the kill switch was seen, whether a stop signal interrupted it.</summary>
public sealed record ItemOutcome(bool StopRequested, bool Interrupted);
