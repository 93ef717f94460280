namespace WorkerNode.Scheduler;

/// <summary>
/// What the scheduler itself says about the running job when its environment does not: when the job's
/// time runs out (no margin taken off yet) and how long the scheduler lets a stopped job clean up before
/// it kills it; each with a sentence saying where it came from.
/// </summary>
/// <param name="End">When the scheduler ends the job (its time limit), if it has one.</param>
/// <param name="Granted">The time limit as granted (end minus start), used to size the margin.</param>
/// <param name="EndSource">Where <paramref name="End"/> came from, or why there is none.</param>
/// <param name="KillWindow">From the stop signal to the scheduler's SIGKILL (Slurm's KillWait, Grid Engine's notify time).</param>
/// <param name="KillWindowSource">Where <paramref name="KillWindow"/> came from.</param>
public sealed record QueriedAllocation(DateTimeOffset? End, TimeSpan? Granted, string? EndSource, TimeSpan? KillWindow, string? KillWindowSource)
{
    public static QueriedAllocation Nothing(string? why) => new(null, null, why, null, null);
}
