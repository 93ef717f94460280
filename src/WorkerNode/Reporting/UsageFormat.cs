using System.Globalization;
using WorkerNode.Configuration;
using WorkerNode.Execution;
using WorkerNode.Jobmon;
using WorkerNode.Logging;
using WorkerNode.Monitoring;

namespace WorkerNode.Reporting;

/// <summary>Usage as the server's columns, as one readable sentence, and as the worker's log line at the end.</summary>
public static class UsageFormat
{
    /// <summary>
    /// The task_instance columns: wallclock and cpu in seconds, maxrss and maxpss in bytes, io as the bytes read
    /// from and written to storage (read_bytes + write_bytes), all decimal strings; and usage_str.
    /// </summary>
    public static UsageFields ToFields(ResourceUsage usage)
    {
        ArgumentNullException.ThrowIfNull(usage);
        return new UsageFields(
            Seconds(usage.Wallclock),
            Whole(usage.MaxRssBytes),
            usage.MaxPssBytes is { } pss ? Whole(pss) : null,
            Seconds(usage.Cpu),
            Whole(usage.Io.ReadBytes + usage.Io.WriteBytes),
            Summary(usage));
    }

    /// <summary>
    /// E.g. <c>wallclock 00:01:42.120, cpu 95.310 s (user 90.000 s, system 5.310 s), maxrss 2.13 GiB, io read 0 B
    /// write 300.00 MiB (rchar 1.20 GiB, wchar 300.00 MiB), 14 processes at most; cgroup v2 peak 2.50 GiB</c>.
    /// </summary>
    public static string Summary(ResourceUsage usage)
    {
        ArgumentNullException.ThrowIfNull(usage);
        var io = usage.Io;
        var text = string.Create(
            CultureInfo.InvariantCulture,
            $"wallclock {DisplayFormat.Duration(Milliseconds(usage.Wallclock))}, cpu {usage.Cpu.TotalSeconds:0.000} s (user {usage.CpuUser.TotalSeconds:0.000} s, system {usage.CpuSystem.TotalSeconds:0.000} s), maxrss {DisplayFormat.Size(usage.MaxRssBytes)}");
        if (usage.MaxPssBytes is { } pss)
        {
            text += $", maxpss {DisplayFormat.Size(pss)}";
        }

        text += $", io read {DisplayFormat.Size(io.ReadBytes)} write {DisplayFormat.Size(io.WriteBytes)} (rchar {DisplayFormat.Size(io.Rchar)}, wchar {DisplayFormat.Size(io.Wchar)}), {usage.MaxProcesses} {(usage.MaxProcesses == 1 ? "process" : "processes")} at most";
        if (usage.Cgroup is { PeakBytes: { } peak } cgroup)
        {
            text += $"; cgroup {Version(cgroup.Version)} peak {DisplayFormat.Size(peak)}";
        }

        return text;
    }

    /// <summary>
    /// The sentence for a kernel OOM kill seen in the cgroup's counter, or null when there was none:
    /// <c>the kernel's OOM killer killed 1 process in the job's memory cgroup (v1 /sys/fs/cgroup/memory/slurm/job_7, limit 4.00 GiB, peak 4.00 GiB)</c>.
    /// </summary>
    public static string? KernelOomKill(ResourceUsage? usage)
    {
        if (usage is not { KernelOomKill: true, Cgroup: { } cgroup })
        {
            return null;
        }

        var details = $"{Version(cgroup.Version)} {cgroup.Directory}"
            + (cgroup.LimitBytes is { } limit ? $", limit {DisplayFormat.Size(limit)}" : string.Empty)
            + (cgroup.PeakBytes is { } peak ? $", peak {DisplayFormat.Size(peak)}" : string.Empty);
        var kills = cgroup.OomKills == 1 ? "1 process" : $"{cgroup.OomKills} processes";
        return $"the kernel's OOM killer killed {kills} in the job's memory cgroup ({details})";
    }

    /// <summary>The one line at the end of a run: how the command ended and what it used.</summary>
    public static void LogCommandEnded(WorkerLog log, CommandResult result, ResourceUsage? usage)
    {
        ArgumentNullException.ThrowIfNull(log);
        ArgumentNullException.ThrowIfNull(result);
        log.Info(
            "command ended",
            ("status", result.Status.ToString()),
            ("wallclock", result.Wallclock),
            ("stopped_by", StopReasonNames.Of(result.StoppedBy?.Reason)),
            ("cpu_user", usage?.CpuUser),
            ("cpu_system", usage?.CpuSystem),
            ("maxrss", usage is null ? null : DisplayFormat.Size(usage.MaxRssBytes)),
            ("maxpss", usage?.MaxPssBytes is { } pss ? DisplayFormat.Size(pss) : null),
            ("io_read", usage is null ? null : DisplayFormat.Size(usage.Io.ReadBytes)),
            ("io_write", usage is null ? null : DisplayFormat.Size(usage.Io.WriteBytes)),
            ("rchar", usage is null ? null : DisplayFormat.Size(usage.Io.Rchar)),
            ("wchar", usage is null ? null : DisplayFormat.Size(usage.Io.Wchar)),
            ("max_processes", usage?.MaxProcesses),
            ("samples", usage?.Samples),
            ("cgroup_peak", usage?.Cgroup?.PeakBytes is { } peak ? DisplayFormat.Size(peak) : null),
            ("kernel_oom_kills", usage?.Cgroup?.OomKills is > 0 and var kills ? kills : null));
    }

    /// <summary>"memory", "time" or null: which limit the run went over, the kernel's OOM kill counting as memory.</summary>
    public static string? LimitExceeded(CommandResult result, ResourceUsage? usage)
    {
        ArgumentNullException.ThrowIfNull(result);
        return result.StoppedBy?.Reason switch
        {
            StopReason.MemoryLimit => "memory",
            StopReason.TimeLimit => "time",
            _ => usage is { KernelOomKill: true } && !result.Status.Succeeded ? "memory" : null,
        };
    }

    private static string Version(CgroupVersion version) => version == CgroupVersion.V2 ? "v2" : "v1";

    private static string Seconds(TimeSpan duration) => duration.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture);

    private static string Whole(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static TimeSpan Milliseconds(TimeSpan duration) => TimeSpan.FromMilliseconds(Math.Round(duration.TotalMilliseconds));
}
