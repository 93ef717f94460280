using WorkerNode.Execution;
using WorkerNode.Monitoring;

namespace WorkerNode.Reporting;

/// <summary>Builds the report of one command's run: the file of <c>run --report</c>, and the <c>run</c> field of a queue item's result.</summary>
public static class RunReports
{
    public static RunReport From(IReadOnlyList<string> command, CommandResult result, ResourceUsage? usage)
    {
        ArgumentNullException.ThrowIfNull(result);
        return new RunReport
        {
            Command = command,
            ExitCode = result.Status.Code,
            Signal = result.Status.SignalName,
            StartedAt = result.StartedAt,
            EndedAt = result.EndedAt,
            WallclockSeconds = Math.Round(result.Wallclock.TotalSeconds, 6),
            OutputLost = result.OutputLost.Count == 0 ? null : result.OutputLost,
            StdoutTail = result.StdoutTail,
            StderrTail = result.StderrTail,
            StoppedBy = StopReasonNames.Of(result.StoppedBy?.Reason),
            LimitExceeded = UsageFormat.LimitExceeded(result, usage),
            CpuUserSeconds = usage is null ? null : Math.Round(usage.CpuUser.TotalSeconds, 6),
            CpuSystemSeconds = usage is null ? null : Math.Round(usage.CpuSystem.TotalSeconds, 6),
            MaxRssBytes = usage?.MaxRssBytes,
            MaxPssBytes = usage?.MaxPssBytes,
            IoReadBytes = usage?.Io.ReadBytes,
            IoWriteBytes = usage?.Io.WriteBytes,
            IoRcharBytes = usage?.Io.Rchar,
            IoWcharBytes = usage?.Io.Wchar,
            MaxProcesses = usage?.MaxProcesses,
            CgroupPeakBytes = usage?.Cgroup?.PeakBytes,
            KernelOomKills = usage?.Cgroup?.OomKills,
        };
    }
}
