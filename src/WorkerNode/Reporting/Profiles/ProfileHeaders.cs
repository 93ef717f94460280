using WorkerNode.Configuration;
using WorkerNode.Execution;
using WorkerNode.Monitoring;
using WorkerNode.Scheduler;

namespace WorkerNode.Reporting.Profiles;

/// <summary>Builds a profile's header line from what every mode has once its command has ended.</summary>
public static class ProfileHeaders
{
    /// <param name="subject">Which task, where.</param>
    /// <param name="requested">What the scheduler granted.</param>
    /// <param name="limits">What the worker enforced.</param>
    /// <param name="settings">The worker_node settings (sample interval, memory metric).</param>
    /// <param name="result">How the command ended.</param>
    /// <param name="usage">What its tree used in total; null when no command ran.</param>
    /// <param name="recorder">The samples kept.</param>
    /// <param name="rows">How many rows will follow the header (those of <paramref name="recorder"/>).</param>
    public static ProfileHeader Create(
        ProfileSubject subject,
        RequestedResources requested,
        ResourceLimits limits,
        WorkerNodeSettings settings,
        CommandResult result,
        ResourceUsage? usage,
        ProfileRecorder recorder,
        int rows)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(requested);
        ArgumentNullException.ThrowIfNull(limits);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(recorder);
        return new ProfileHeader
        {
            Mode = subject.Mode,
            Task = subject.Task,
            Template = subject.Template,
            Command = subject.Command,
            TaskInstanceId = subject.TaskInstanceId,
            TaskId = subject.TaskId,
            WorkflowId = subject.WorkflowId,
            WorkflowRunId = subject.WorkflowRunId,
            Node = subject.Node,
            Scheduler = subject.Scheduler,
            DistributorId = subject.DistributorId,
            ArrayStepId = subject.ArrayStepId,
            RequestedMemoryBytes = requested.MemoryBytes,
            RequestedTimeSeconds = requested.Time?.TotalSeconds,
            RequestedCores = requested.Cores,
            MemoryLimitBytes = limits.MemoryLimitBytes,
            MemoryLimitSource = limits.MemoryLimitSource,
            TimeLimitSeconds = limits.TimeLimit is { } timeLimit ? Math.Round(timeLimit.TotalSeconds, 3) : null,
            TimeLimitSource = limits.TimeLimitSource,
            MemoryMetric = settings.MemoryMetric == MemoryMetric.Pss ? "pss" : "rss",
            StartedAt = result.StartedAt,
            EndedAt = result.EndedAt,
            WallSeconds = Math.Round(result.Wallclock.TotalSeconds, 3),
            Status = Status(result, usage),
            ExitCode = result.Status.Code,
            Signal = result.Status.SignalName,
            StopReason = StopReasonNames.Of(result.StoppedBy?.Reason),
            CpuUserSeconds = usage is null ? null : Math.Round(usage.CpuUser.TotalSeconds, 3),
            CpuSystemSeconds = usage is null ? null : Math.Round(usage.CpuSystem.TotalSeconds, 3),
            MaxRssBytes = usage?.MaxRssBytes,
            MaxPssBytes = usage?.MaxPssBytes,
            CgroupPeakBytes = usage?.Cgroup?.PeakBytes,
            MaxProcesses = usage?.MaxProcesses,
            ReadBytes = usage?.Io.ReadBytes,
            WriteBytes = usage?.Io.WriteBytes,
            SampleIntervalSeconds = settings.SampleInterval.TotalSeconds,
            Samples = recorder.Samples,
            Rows = rows,
            SamplesPerRow = recorder.SamplesPerRow,
        };
    }

    /// <summary>"done", "memory_limit", "time_limit", "stopped" (by the worker for another reason) or "error".</summary>
    public static string Status(CommandResult result, ResourceUsage? usage)
    {
        ArgumentNullException.ThrowIfNull(result);
        return UsageFormat.LimitExceeded(result, usage) switch
        {
            "memory" => "memory_limit",
            "time" => "time_limit",
            _ when result.StoppedBy is not null => "stopped",
            _ when result.Status.Succeeded => "done",
            _ => "error",
        };
    }

    /// <summary>The scheduler's name as headers give it.</summary>
    public static string SchedulerName(SchedulerKind kind) => kind switch
    {
        SchedulerKind.Slurm => "slurm",
        SchedulerKind.Uge => "uge",
        SchedulerKind.Pbs => "pbs",
        SchedulerKind.Lsf => "lsf",
        SchedulerKind.JobmonMultiprocess => "multiprocess",
        SchedulerKind.JobmonSequential => "sequential",
        _ => "local",
    };
}
