using System.Globalization;
using WorkerNode.Configuration;
using static WorkerNode.Scheduler.EnvironmentValues;

namespace WorkerNode.Scheduler;

/// <summary>
/// Derives memory and time limits from what the scheduler exports into the job's environment. Only variables
/// that the schedulers really set are read:
/// <list type="bullet">
/// <item>Slurm (sbatch/salloc output environment): SLURM_MEM_PER_NODE, or SLURM_MEM_PER_CPU × SLURM_CPUS_ON_NODE
/// (both in MB, Slurm's MB being MiB); SLURM_JOB_END_TIME and SLURM_JOB_START_TIME (Unix seconds, Slurm 23.02+).
/// End minus start is the time limit as granted, which sizes the margin (<see cref="TimeMargin"/>); with the end alone
/// the configured margin holds until `scontrol show job` answers with the TimeLimit (<see cref="AllocationQuery"/>).</item>
/// <item>Torque: PBS_WALLTIME, the requested walltime in seconds, counted from the worker's start (the job's own start
/// is not exported); it is the granted limit, so it sizes the margin. No memory variable.</item>
/// <item>PBS Pro / OpenPBS: the job environment (PBS_JOBID, PBS_ARRAY_INDEX, NCPUS, PBS_NODEFILE, ...) carries neither
/// memory nor walltime; it is Torque's PBS_WALLTIME or nothing.</item>
/// <item>UGE/SGE: the job environment (JOB_ID, SGE_TASK_ID, NSLOTS, QUEUE, PE_HOSTFILE, ...) carries no limits:
/// h_vmem and h_rt are enforced as rlimits and by the execd, not exported. Nothing is derived.</item>
/// <item>LSF: the job environment (LSB_JOBID, LSB_JOBINDEX, LSB_HOSTS, LSB_EFFECTIVE_RSRCREQ, ...) carries no memory or
/// run limit (bsub -M / -W become rlimits and sbatchd checks). Nothing is derived here; the run limit is asked of
/// `bjobs` (<see cref="AllocationQuery"/>).</item>
/// <item>Jobmon's multiprocess and sequential distributors, and local runs: no allocation, nothing derived.</item>
/// </list>
/// </summary>
public static class AllocationLimitsReader
{
    /// <summary>
    /// The limits of <paramref name="kind"/>'s allocation, less <paramref name="memoryMargin"/> (a fraction of the
    /// memory) and a time margin taken off the end time: <see cref="TimeMargin.For"/> of the granted limit when it is
    /// known, at most <paramref name="timeMargin"/> (worker_node.time_margin).
    /// </summary>
    public static AllocationLimits Read(
        SchedulerKind kind,
        IReadOnlyDictionary<string, string> environment,
        double memoryMargin,
        TimeSpan timeMargin,
        TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(time);
        return kind switch
        {
            SchedulerKind.Slurm => Slurm(environment, memoryMargin, timeMargin),
            SchedulerKind.Pbs => Torque(environment, timeMargin, time),
            _ => AllocationLimits.None,
        };
    }

    private static AllocationLimits Slurm(IReadOnlyDictionary<string, string> environment, double memoryMargin, TimeSpan timeMargin)
    {
        var (memory, memorySource) = SlurmMemory(environment);
        if (memory is { } allocated)
        {
            memory = (long)Math.Floor(allocated * (1 - memoryMargin));
            memorySource += MarginText(DisplayFormat.Percent(memoryMargin), memoryMargin > 0);
        }

        var (end, granted, endSource) = SlurmEndTime(environment);
        if (end is { } allocatedEnd)
        {
            var margin = TimeMargin.For(granted, timeMargin);
            end = ClockArithmetic.Subtract(allocatedEnd, margin);
            endSource += TimeMargin.Text(margin);
        }

        return new AllocationLimits(memory, end, memorySource, endSource) { Granted = end is null ? null : granted };
    }

    private static (long? Bytes, string? Source) SlurmMemory(IReadOnlyDictionary<string, string> environment)
    {
        if (Get(environment, "SLURM_MEM_PER_NODE") is { } perNode)
        {
            // --mem=0 asks for all of each node's memory: there is no number to hold the command to.
            return Megabytes(perNode) switch
            {
                null => (null, $"SLURM_MEM_PER_NODE='{perNode}' is not a number of MB; no memory limit derived"),
                0 => (null, "SLURM_MEM_PER_NODE=0 (all of the node's memory); no memory limit derived"),
                var mb => (mb << 20, $"SLURM_MEM_PER_NODE={mb} ({DisplayFormat.Size(mb.Value << 20)})"),
            };
        }

        if (Get(environment, "SLURM_MEM_PER_CPU") is not { } perCpu)
        {
            return (null, null);
        }

        var cpusText = Get(environment, "SLURM_CPUS_ON_NODE");
        if (Megabytes(perCpu) is not { } cpuMb || cpusText is null || ParseCount(cpusText) is not { } cpus
            || cpuMb == 0 || cpus == 0 || cpuMb > (long.MaxValue >> 20) / cpus)
        {
            return (null, $"SLURM_MEM_PER_CPU='{perCpu}' with SLURM_CPUS_ON_NODE='{cpusText}' is not a usable size; no memory limit derived");
        }

        var bytes = (cpuMb * cpus) << 20;
        return (bytes, $"SLURM_MEM_PER_CPU={cpuMb} × SLURM_CPUS_ON_NODE={cpus} ({DisplayFormat.Size(bytes)})");
    }

    private static (DateTimeOffset? End, TimeSpan? Granted, string? Source) SlurmEndTime(IReadOnlyDictionary<string, string> environment)
    {
        if (Get(environment, "SLURM_JOB_END_TIME") is not { } endText)
        {
            return (null, null, null);
        }

        if (UnixTime(endText) is not { } end)
        {
            return (null, null, $"SLURM_JOB_END_TIME='{endText}' is not a Unix time; no end time derived");
        }

        // End - start is the job's time limit as Slurm granted it: it sizes the margin (a 2-minute job keeps 1:45).
        TimeSpan? granted = Get(environment, "SLURM_JOB_START_TIME") is { } startText && UnixTime(startText) is { } start && end > start
            ? end - start
            : null;
        var after = granted is { } limit ? $", {DisplayFormat.Duration(limit)} after SLURM_JOB_START_TIME={Get(environment, "SLURM_JOB_START_TIME")}" : string.Empty;
        return (end, granted, $"SLURM_JOB_END_TIME={endText} ({end.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture)}{after})");
    }

    private static AllocationLimits Torque(IReadOnlyDictionary<string, string> environment, TimeSpan timeMargin, TimeProvider time)
    {
        if (Get(environment, "PBS_WALLTIME") is not { } walltimeText)
        {
            return AllocationLimits.None;
        }

        if (!DurationParser.TryParseSeconds(walltimeText, out var walltime, out _) || walltime <= TimeSpan.Zero)
        {
            return new AllocationLimits(null, null, null, $"PBS_WALLTIME='{walltimeText}' is not a number of seconds; no end time derived");
        }

        // The job's start is not exported; the worker normally starts within moments of it, and the time
        // margin covers the gap. The walltime is the granted limit: it sizes the margin.
        var margin = TimeMargin.For(walltime, timeMargin);
        var source = $"PBS_WALLTIME={walltimeText} ({DisplayFormat.Duration(walltime)}) counted from the worker's start" + TimeMargin.Text(margin);
        // Saturating: PBS_WALLTIME is whatever the environment says, and a huge one must not crash the worker.
        return new AllocationLimits(null, ClockArithmetic.Subtract(ClockArithmetic.Add(time.GetUtcNow(), walltime), margin), null, source) { Granted = walltime };
    }

    private static long? Megabytes(string text) => ParseCount(text) is { } mb && mb <= long.MaxValue >> 20 ? mb : null;

    private static DateTimeOffset? UnixTime(string text) =>
        ParseCount(text) is { } seconds && seconds <= DateTimeOffset.MaxValue.ToUnixTimeSeconds()
            ? DateTimeOffset.FromUnixTimeSeconds(seconds)
            : null;

    private static string MarginText(string margin, bool any) => any ? $" minus {margin} margin" : string.Empty;
}
