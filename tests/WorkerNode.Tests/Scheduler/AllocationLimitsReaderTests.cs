using WorkerNode.Scheduler;

namespace WorkerNode.Tests.Scheduler;

public sealed class AllocationLimitsReaderTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeSeconds(1_700_001_000);
    private static readonly FixedTimeProvider Clock = new(Now);

    [Fact]
    public void Slurm_memory_per_node_less_the_margin()
    {
        var limits = Read(SchedulerKind.Slurm, ("SLURM_MEM_PER_NODE", "4096"));

        Assert.Equal((long)Math.Floor((4096L << 20) * 0.95), limits.MemoryLimitBytes);
        Assert.Equal("SLURM_MEM_PER_NODE=4096 (4.00 GiB) minus 5% margin", limits.MemorySource);
        Assert.Null(limits.EndTime);
    }

    [Fact]
    public void Slurm_memory_per_cpu_times_cpus()
    {
        var limits = Read(SchedulerKind.Slurm, ("SLURM_MEM_PER_CPU", "2048"), ("SLURM_CPUS_ON_NODE", "4"));

        Assert.Equal((long)Math.Floor((8L << 30) * 0.95), limits.MemoryLimitBytes);
        Assert.Equal("SLURM_MEM_PER_CPU=2048 × SLURM_CPUS_ON_NODE=4 (8.00 GiB) minus 5% margin", limits.MemorySource);
    }

    [Fact]
    public void Slurm_memory_per_node_is_preferred()
    {
        var limits = Read(SchedulerKind.Slurm, ("SLURM_MEM_PER_NODE", "1024"), ("SLURM_MEM_PER_CPU", "2048"), ("SLURM_CPUS_ON_NODE", "4"));
        Assert.Equal((long)Math.Floor((1L << 30) * 0.95), limits.MemoryLimitBytes);
    }

    [Fact]
    public void No_margin_means_the_whole_allocation()
    {
        var limits = AllocationLimitsReader.Read(SchedulerKind.Slurm, Env(("SLURM_MEM_PER_NODE", "1024"), ("SLURM_JOB_END_TIME", "1700007200")), 0, TimeSpan.Zero, Clock);

        Assert.Equal(1L << 30, limits.MemoryLimitBytes);
        Assert.Equal("SLURM_MEM_PER_NODE=1024 (1.00 GiB)", limits.MemorySource);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1_700_007_200), limits.EndTime);
        Assert.Equal("SLURM_JOB_END_TIME=1700007200 (2023-11-15T00:13:20Z)", limits.EndTimeSource);
    }

    [Theory]
    [InlineData("0", "SLURM_MEM_PER_NODE=0 (all of the node's memory); no memory limit derived")]
    [InlineData("4G", "SLURM_MEM_PER_NODE='4G' is not a number of MB; no memory limit derived")]
    public void Unusable_slurm_memory_gives_no_limit_but_says_why(string value, string source)
    {
        var limits = Read(SchedulerKind.Slurm, ("SLURM_MEM_PER_NODE", value));
        Assert.Null(limits.MemoryLimitBytes);
        Assert.Equal(source, limits.MemorySource);
    }

    [Fact]
    public void Slurm_memory_per_cpu_without_a_cpu_count_gives_no_limit()
    {
        var limits = Read(SchedulerKind.Slurm, ("SLURM_MEM_PER_CPU", "2048"));
        Assert.Null(limits.MemoryLimitBytes);
        Assert.Equal("SLURM_MEM_PER_CPU='2048' with SLURM_CPUS_ON_NODE='' is not a usable size; no memory limit derived", limits.MemorySource);
    }

    [Fact]
    public void Slurm_end_time_less_the_margin()
    {
        var limits = Read(SchedulerKind.Slurm, ("SLURM_JOB_END_TIME", "1700007200"), ("SLURM_JOB_START_TIME", "1700000000"));

        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1_700_007_140), limits.EndTime);
        Assert.Equal(
            "SLURM_JOB_END_TIME=1700007200 (2023-11-15T00:13:20Z, 02:00:00 after SLURM_JOB_START_TIME=1700000000) minus 00:01:00 margin",
            limits.EndTimeSource);
        Assert.Null(limits.MemoryLimitBytes);
    }

    [Fact]
    public void An_unreadable_slurm_end_time_gives_no_end_but_says_why()
    {
        var limits = Read(SchedulerKind.Slurm, ("SLURM_JOB_END_TIME", "tomorrow"));
        Assert.Null(limits.EndTime);
        Assert.Equal("SLURM_JOB_END_TIME='tomorrow' is not a Unix time; no end time derived", limits.EndTimeSource);
    }

    [Fact]
    public void Slurm_without_exported_limits_gives_none()
    {
        Assert.Equal(AllocationLimits.None, Read(SchedulerKind.Slurm, ("SLURM_JOB_ID", "1")));
    }

    [Fact]
    public void Torque_walltime_counts_from_now()
    {
        var limits = Read(SchedulerKind.Pbs, ("PBS_WALLTIME", "3600"));

        Assert.Equal(Now + TimeSpan.FromSeconds(3540), limits.EndTime);
        Assert.Equal("PBS_WALLTIME=3600 (01:00:00) counted from the worker's start minus 00:01:00 margin", limits.EndTimeSource);
        Assert.Null(limits.MemoryLimitBytes);
    }

    [Fact]
    public void Unreadable_torque_walltime_says_why()
    {
        var limits = Read(SchedulerKind.Pbs, ("PBS_WALLTIME", "lots"));
        Assert.Null(limits.EndTime);
        Assert.Equal("PBS_WALLTIME='lots' is not a number of seconds; no end time derived", limits.EndTimeSource);
    }

    [Fact]
    public void A_torque_walltime_past_the_end_of_the_calendar_saturates()
    {
        var limits = Read(SchedulerKind.Pbs, ("PBS_WALLTIME", "900000000000"));

        Assert.Equal(DateTimeOffset.MaxValue - TimeSpan.FromSeconds(60), limits.EndTime);
    }

    [Fact]
    public void A_margin_larger_than_the_calendar_saturates()
    {
        var huge = TimeSpan.MaxValue;
        var slurm = AllocationLimitsReader.Read(SchedulerKind.Slurm, Env(("SLURM_JOB_END_TIME", "0")), 0.05, huge, Clock);
        var torque = AllocationLimitsReader.Read(SchedulerKind.Pbs, Env(("PBS_WALLTIME", "60")), 0.05, huge, Clock);

        Assert.Equal(DateTimeOffset.MinValue, slurm.EndTime);
        // PBS_WALLTIME is the granted limit, and the margin of a known limit never exceeds it (a quarter of a minute).
        Assert.Equal(Now + TimeSpan.FromSeconds(45), torque.EndTime);
    }

    [Theory]
    [InlineData(SchedulerKind.Pbs)]
    [InlineData(SchedulerKind.Uge)]
    [InlineData(SchedulerKind.Lsf)]
    [InlineData(SchedulerKind.JobmonMultiprocess)]
    [InlineData(SchedulerKind.JobmonSequential)]
    [InlineData(SchedulerKind.Local)]
    public void Schedulers_that_export_nothing_usable_give_none(SchedulerKind kind)
    {
        // Slurm's variables are ignored unless Slurm started the worker.
        var limits = Read(kind, ("SLURM_MEM_PER_NODE", "4096"), ("SLURM_JOB_END_TIME", "1700007200"), ("NSLOTS", "4"), ("LSB_JOBID", "1"));
        Assert.Equal(AllocationLimits.None, limits);
    }

    private static AllocationLimits Read(SchedulerKind kind, params (string Name, string Value)[] variables) =>
        AllocationLimitsReader.Read(kind, Env(variables), 0.05, TimeSpan.FromSeconds(60), Clock);

    private static Dictionary<string, string> Env(params (string Name, string Value)[] variables) =>
        variables.ToDictionary(v => v.Name, v => v.Value);
}
