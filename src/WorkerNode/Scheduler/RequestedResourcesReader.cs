using System.Globalization;

namespace WorkerNode.Scheduler;

/// <summary>
/// Reads what the task requested from the scheduler's job environment, for profiles and right-sizing: Slurm's
/// memory (as <see cref="AllocationLimitsReader"/> reads it, without margin), its time limit (SLURM_JOB_END_TIME −
/// SLURM_JOB_START_TIME, Slurm 23.02+) and cores (SLURM_CPUS_PER_TASK, else SLURM_CPUS_ON_NODE); Torque's
/// PBS_WALLTIME and NCPUS/PBS_NP; Grid Engine's NSLOTS; LSF's LSB_DJOB_NUMPROC.
/// </summary>
public static class RequestedResourcesReader
{
    public static RequestedResources Read(SchedulerKind kind, IReadOnlyDictionary<string, string> environment, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(environment);
        return kind switch
        {
            SchedulerKind.Slurm => new RequestedResources(
                AllocationLimitsReader.Read(kind, environment, 0, TimeSpan.Zero, time).MemoryLimitBytes,
                Number(environment, "SLURM_JOB_END_TIME") is { } end && Number(environment, "SLURM_JOB_START_TIME") is { } start && end > start
                    ? TimeSpan.FromSeconds(end - start)
                    : null,
                Cores(environment, "SLURM_CPUS_PER_TASK") ?? Cores(environment, "SLURM_CPUS_ON_NODE")),
            SchedulerKind.Pbs => new RequestedResources(
                null,
                Number(environment, "PBS_WALLTIME") is > 0 and var walltime ? TimeSpan.FromSeconds(walltime) : null,
                Cores(environment, "NCPUS") ?? Cores(environment, "PBS_NP")),
            SchedulerKind.Uge => new RequestedResources(null, null, Cores(environment, "NSLOTS")),
            SchedulerKind.Lsf => new RequestedResources(null, null, Cores(environment, "LSB_DJOB_NUMPROC")),
            _ => RequestedResources.None,
        };
    }

    private static long? Number(IReadOnlyDictionary<string, string> environment, string name) =>
        environment.TryGetValue(name, out var text) && long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value < (long)TimeSpan.MaxValue.TotalSeconds
            ? value
            : null;

    private static int? Cores(IReadOnlyDictionary<string, string> environment, string name) =>
        Number(environment, name) is > 0 and <= 1_000_000 and var cores ? (int)cores : null;
}
