namespace WorkerNode.Queue;

/// <summary>What finishing an item did.</summary>
/// <param name="Written">False when the item had been finished already (a late duplicate, dropped).</param>
/// <param name="StopRequested">Whether the kill switch NAME:stop was set at that moment.</param>
public sealed record FinishOutcome(bool Written, bool StopRequested);
