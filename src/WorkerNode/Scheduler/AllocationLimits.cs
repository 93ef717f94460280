namespace WorkerNode.Scheduler;

/// <summary>
/// Limits derived from the scheduler's allocation, safety margins already taken off; each with a sentence
/// saying where it came from, e.g. <c>SLURM_MEM_PER_NODE=4096 (4.00 GiB) minus 5% margin</c>.
/// </summary>
/// <param name="MemoryLimitBytes">The allocation's memory less the memory margin, when the scheduler exports it.</param>
/// <param name="EndTime">When the allocation ends less the time margin, when the scheduler exports it.</param>
/// <param name="MemorySource">How the memory limit was derived, or why none was (a variable that could not be read).</param>
/// <param name="EndTimeSource">How the end time was derived, or why none was.</param>
public sealed record AllocationLimits(long? MemoryLimitBytes, DateTimeOffset? EndTime, string? MemorySource, string? EndTimeSource)
{
    /// <summary>
    /// The time limit as granted (Slurm's end minus start, PBS_WALLTIME), which sized the time margin; null when
    /// only the end is known (the configured margin was taken, and the scheduler may be asked for the limit).
    /// </summary>
    public TimeSpan? Granted { get; init; }

    /// <summary>The scheduler exports nothing usable (or it is not a scheduler at all).</summary>
    public static AllocationLimits None { get; } = new(null, null, null, null);
}
