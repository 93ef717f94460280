using WorkerNode.Configuration;
using WorkerNode.Logging;
using WorkerNode.Scheduler;

namespace WorkerNode.Monitoring;

/// <summary>
/// Works out the limits a run enforces: the explicit ones (flags, JOBMON__ variables, the file), and, when
/// limits_from_scheduler is on (by default in server mode only), those derived from the scheduler's allocation
/// with their margins; an explicit limit wins. Logs what applies and where it came from.
/// </summary>
internal static class LimitsResolver
{
    /// <param name="settings">The worker_node settings.</param>
    /// <param name="serverMode">Whether limits_from_scheduler defaults to on.</param>
    /// <param name="scheduler">Tells which scheduler started the worker; asked only when limits come from it.</param>
    /// <param name="environment">The worker's environment, where the scheduler's variables are.</param>
    /// <param name="log">Where the effective limits are logged.</param>
    /// <param name="time">The clock: a time limit starts now.</param>
    public static ResourceLimits Resolve(
        WorkerNodeSettings settings,
        bool serverMode,
        Func<SchedulerKind> scheduler,
        IReadOnlyDictionary<string, string> environment,
        WorkerLog log,
        TimeProvider time)
    {
        AllocationLimits? allocation = null;
        if (settings.LimitsFromScheduler ?? serverMode)
        {
            allocation = AllocationLimitsReader.Read(scheduler(), environment, settings.MemoryMargin, settings.TimeMargin, time);
            // A source without a value says why a variable that was there could not be used.
            if (allocation.MemoryLimitBytes is null && allocation.MemorySource is { } memoryNote)
            {
                log.Info("no memory limit derived from the scheduler", ("reason", memoryNote));
            }

            if (allocation.EndTime is null && allocation.EndTimeSource is { } endNote)
            {
                log.Info("no time limit derived from the scheduler", ("reason", endNote));
            }
        }

        var limits = ResourceLimits.Combine(settings, allocation, time);
        if (limits.TimeLimit is not null || limits.MemoryLimitBytes is not null)
        {
            log.Info(
                "enforcing limits",
                ("time_limit", limits.TimeLimit is { } limit ? DisplayFormat.Duration(limit) : null),
                ("time_limit_from", limits.TimeLimitSource),
                ("memory_limit", limits.MemoryLimitBytes is { } bytes ? DisplayFormat.Size(bytes) : null),
                ("memory_limit_from", limits.MemoryLimitSource),
                ("memory_metric", settings.MemoryMetric == MemoryMetric.Pss ? "pss" : "rss"),
                ("sample_interval", settings.SampleInterval));
        }

        return limits;
    }
}
