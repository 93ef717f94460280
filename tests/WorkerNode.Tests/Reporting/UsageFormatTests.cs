using WorkerNode.Execution;
using WorkerNode.Monitoring;
using WorkerNode.Reporting;

namespace WorkerNode.Tests.Reporting;

public sealed class UsageFormatTests
{
    private static readonly ResourceUsage Usage = new()
    {
        Wallclock = TimeSpan.FromMilliseconds(102_120.4),
        CpuUser = TimeSpan.FromSeconds(90),
        CpuSystem = TimeSpan.FromSeconds(5.31),
        MaxRssBytes = 2_287_000_000,
        Io = new IoCounters(ReadBytes: 4096, WriteBytes: 314_572_800, Rchar: 1L << 30, Wchar: 314_572_800),
        MaxProcesses = 14,
        Samples = 102,
    };

    [Fact]
    public void Server_fields_are_decimal_strings_in_seconds_and_bytes()
    {
        var fields = UsageFormat.ToFields(Usage);

        Assert.Equal("102.12", fields.Wallclock);
        Assert.Equal("2287000000", fields.Maxrss);
        Assert.Null(fields.Maxpss);
        Assert.Equal("95.31", fields.Cpu);
        Assert.Equal("314576896", fields.Io);
        Assert.Equal(UsageFormat.Summary(Usage), fields.UsageStr);
    }

    [Fact]
    public void The_summary_reads_as_one_sentence()
    {
        Assert.Equal(
            "wallclock 00:01:42.120, cpu 95.310 s (user 90.000 s, system 5.310 s), maxrss 2.13 GiB, io read 4.00 KiB write 300.00 MiB (rchar 1.00 GiB, wchar 300.00 MiB), 14 processes at most",
            UsageFormat.Summary(Usage));
    }

    [Fact]
    public void The_summary_adds_pss_and_the_cgroups_peak_when_known()
    {
        var usage = Usage with { MaxPssBytes = 1L << 30, Cgroup = new CgroupUsage(CgroupVersion.V2, "/sys/fs/cgroup/job", 1, 3L << 30, null, 0) };

        var summary = UsageFormat.Summary(usage);

        Assert.Contains(", maxpss 1.00 GiB,", summary, StringComparison.Ordinal);
        Assert.EndsWith("; cgroup v2 peak 3.00 GiB", summary, StringComparison.Ordinal);
        Assert.Equal((1L << 30).ToString(System.Globalization.CultureInfo.InvariantCulture), UsageFormat.ToFields(usage).Maxpss);
    }

    [Fact]
    public void A_kernel_oom_kill_is_described_with_the_cgroup_its_limit_and_peak()
    {
        var usage = Usage with { Cgroup = new CgroupUsage(CgroupVersion.V1, "/sys/fs/cgroup/memory/slurm/job_7", 1, 4L << 30, 4L << 30, 2) };

        Assert.Equal(
            "the kernel's OOM killer killed 2 processes in the job's memory cgroup (v1 /sys/fs/cgroup/memory/slurm/job_7, limit 4.00 GiB, peak 4.00 GiB)",
            UsageFormat.KernelOomKill(usage));
        Assert.Null(UsageFormat.KernelOomKill(usage with { Cgroup = usage.Cgroup! with { OomKills = 0 } }));
        Assert.Null(UsageFormat.KernelOomKill(usage with { Cgroup = usage.Cgroup! with { OomKills = null } }));
        Assert.Null(UsageFormat.KernelOomKill(null));
    }

    [Fact]
    public void The_limit_exceeded_is_the_stop_reason_or_a_kernel_oom_kill_of_a_failed_command()
    {
        var killed = new ExitStatus(null, 9);
        var oom = Usage with { Cgroup = new CgroupUsage(CgroupVersion.V2, "/cg", null, null, null, 1) };

        Assert.Equal("memory", UsageFormat.LimitExceeded(Result(killed, StopReason.MemoryLimit), Usage));
        Assert.Equal("time", UsageFormat.LimitExceeded(Result(killed, StopReason.TimeLimit), Usage));
        Assert.Equal("memory", UsageFormat.LimitExceeded(Result(killed, null), oom));
        Assert.Null(UsageFormat.LimitExceeded(Result(new ExitStatus(0, null), null), oom));
        Assert.Null(UsageFormat.LimitExceeded(Result(killed, StopReason.OutsideSignal), Usage));
        Assert.Null(UsageFormat.LimitExceeded(Result(killed, null), null));
    }

    private static CommandResult Result(ExitStatus status, StopReason? reason) => new(
        status,
        reason is { } stop ? new StopRequest(stop, 15, "stopped") : null,
        DateTimeOffset.UnixEpoch,
        DateTimeOffset.UnixEpoch,
        string.Empty,
        string.Empty);
}
