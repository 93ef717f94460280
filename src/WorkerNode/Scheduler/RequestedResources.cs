namespace WorkerNode.Scheduler;

/// <summary>What the task asked its scheduler for, as its environment says; each null when the scheduler does not say.</summary>
/// <param name="MemoryBytes">The memory granted, before any margin the worker keeps.</param>
/// <param name="Time">The job's time limit as granted.</param>
/// <param name="Cores">The cores granted to the task.</param>
public sealed record RequestedResources(long? MemoryBytes, TimeSpan? Time, int? Cores)
{
    /// <summary>Nothing known (no scheduler, or one that exports none of it).</summary>
    public static RequestedResources None { get; } = new(null, null, null);
}
