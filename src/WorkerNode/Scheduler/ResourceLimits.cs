using WorkerNode.Configuration;

namespace WorkerNode.Scheduler;

/// <summary>
/// The limits the watchdog enforces: a time limit counted from now (and the same as a deadline) and a memory
/// limit, each null when there is none, each with a description of where it came from.
/// </summary>
public sealed record ResourceLimits(
    TimeSpan? TimeLimit,
    DateTimeOffset? Deadline,
    long? MemoryLimitBytes,
    string? TimeLimitSource,
    string? MemoryLimitSource)
{
    /// <summary>
    /// The time limit comes from the allocation's end alone (Slurm 23.02+ without SLURM_JOB_START_TIME): the
    /// configured margin was taken, and the scheduler's answer with the granted limit may size it anew.
    /// </summary>
    public bool GrantedTimeUnknown { get; init; }

    /// <summary>
    /// Combines the explicit limits of <paramref name="settings"/> with those derived from the allocation: an
    /// explicit value wins, limit by limit (and is taken as given, without margin). A derived end time already
    /// past gives a zero time limit: the allocation is ending, so the command must stop now.
    /// </summary>
    /// <param name="settings">The worker_node settings, whose TimeLimit and MemoryLimitBytes are the explicit limits.</param>
    /// <param name="allocation">Limits from the scheduler, or null when limits_from_scheduler is off.</param>
    /// <param name="time">The clock; "now" is the start of the time limit.</param>
    public static ResourceLimits Combine(WorkerNodeSettings settings, AllocationLimits? allocation, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(time);
        var now = time.GetUtcNow();
        (TimeSpan? Value, string? Source) timeLimit = settings.TimeLimit is { } explicitTime
            ? (explicitTime, $"worker_node.time_limit {DisplayFormat.Duration(explicitTime)}")
            : allocation?.EndTime is { } end
                ? (end > now ? end - now : TimeSpan.Zero, allocation.EndTimeSource)
                : (null, null);
        (long? Value, string? Source) memory = settings.MemoryLimitBytes is { } explicitMemory
            ? (explicitMemory, $"worker_node.memory_limit {DisplayFormat.Size(explicitMemory)}")
            : (allocation?.MemoryLimitBytes, allocation?.MemoryLimitBytes is null ? null : allocation.MemorySource);

        // Saturating: an explicit limit built in code (not through the loader's 365-day bound) must not overflow.
        var deadline = timeLimit.Value is { } span ? ClockArithmetic.Add(now, span) : (DateTimeOffset?)null;
        return new ResourceLimits(timeLimit.Value, deadline, memory.Value, timeLimit.Source, memory.Source)
        {
            GrantedTimeUnknown = settings.TimeLimit is null && allocation?.EndTime is not null && allocation.Granted is null,
        };
    }
}
