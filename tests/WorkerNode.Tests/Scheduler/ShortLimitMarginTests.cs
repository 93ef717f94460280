using WorkerNode.Configuration;
using WorkerNode.Scheduler;

namespace WorkerNode.Tests.Scheduler;

/// <summary>
/// The time margin of a short limit is sized from the granted limit wherever the scheduler says it: Slurm's
/// end minus start, Torque's PBS_WALLTIME, `scontrol show job`'s TimeLimit; not the flat 60 s.
/// </summary>
public sealed class ShortLimitMarginTests
{
    private static readonly DateTimeOffset Now = new(2023, 11, 14, 22, 13, 20, TimeSpan.Zero);
    private static readonly TimeProvider Clock = new FixedTimeProvider(Now);
    private static readonly TimeSpan Configured = TimeSpan.FromSeconds(60);

    [Fact]
    public void A_two_minute_slurm_job_with_its_start_exported_keeps_1_45()
    {
        var limits = Read(SchedulerKind.Slurm, ("SLURM_JOB_END_TIME", "1700000120"), ("SLURM_JOB_START_TIME", "1700000000"));

        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1_700_000_105), limits.EndTime);
        Assert.Equal(TimeSpan.FromMinutes(2), limits.Granted);
        Assert.EndsWith("00:02:00 after SLURM_JOB_START_TIME=1700000000) minus 00:00:15 margin", limits.EndTimeSource, StringComparison.Ordinal);
    }

    [Fact]
    public void A_slurm_end_without_its_start_takes_the_configured_margin_and_says_the_limit_is_unknown()
    {
        var limits = Read(SchedulerKind.Slurm, ("SLURM_JOB_END_TIME", "1700000120"));

        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1_700_000_060), limits.EndTime);
        Assert.Null(limits.Granted);
        var combined = ResourceLimits.Combine(new WorkerNodeSettings(), limits, Clock);
        Assert.True(combined.GrantedTimeUnknown);
    }

    [Fact]
    public void An_end_with_its_start_or_an_explicit_limit_needs_no_answer_from_the_scheduler()
    {
        var sized = Read(SchedulerKind.Slurm, ("SLURM_JOB_END_TIME", "1700000120"), ("SLURM_JOB_START_TIME", "1700000000"));
        var unsized = Read(SchedulerKind.Slurm, ("SLURM_JOB_END_TIME", "1700000120"));

        Assert.False(ResourceLimits.Combine(new WorkerNodeSettings(), sized, Clock).GrantedTimeUnknown);
        Assert.False(ResourceLimits.Combine(new WorkerNodeSettings { TimeLimit = TimeSpan.FromMinutes(5) }, unsized, Clock).GrantedTimeUnknown);
        Assert.False(ResourceLimits.Combine(new WorkerNodeSettings(), null, Clock).GrantedTimeUnknown);
    }

    [Fact]
    public void A_two_minute_torque_walltime_keeps_1_45()
    {
        var limits = Read(SchedulerKind.Pbs, ("PBS_WALLTIME", "120"));

        Assert.Equal(Now + TimeSpan.FromSeconds(105), limits.EndTime);
        Assert.Equal("PBS_WALLTIME=120 (00:02:00) counted from the worker's start minus 00:00:15 margin", limits.EndTimeSource);
    }

    [Fact]
    public void A_long_torque_walltime_keeps_the_configured_margin()
    {
        var limits = Read(SchedulerKind.Pbs, ("PBS_WALLTIME", "36000"));

        Assert.Equal(Now + TimeSpan.FromSeconds(36000 - 60), limits.EndTime);
    }

    [Theory]
    [InlineData("00:02:00", 120)]
    [InlineData("2", 120)]
    [InlineData("2:30", 150)]
    [InlineData("1-00:00:00", 86_400)]
    [InlineData("1-2", 93_600)]
    [InlineData("1-02:03", 93_780)]
    [InlineData("10:00:01", 36_001)]
    public void Slurm_time_limits_as_scontrol_prints_them(string text, int seconds) =>
        Assert.Equal(TimeSpan.FromSeconds(seconds), SchedulerOutputParser.SlurmDuration(text));

    [Theory]
    [InlineData("UNLIMITED")]
    [InlineData("Partition_Limit")]
    [InlineData("")]
    [InlineData(null)]
    [InlineData("0")]
    [InlineData("1:2:3:4")]
    [InlineData("-5")]
    [InlineData("1-")]
    [InlineData("a-01:00:00")]
    public void Anything_else_is_no_time_limit(string? text) => Assert.Null(SchedulerOutputParser.SlurmDuration(text));

    private static AllocationLimits Read(SchedulerKind kind, params (string Name, string Value)[] variables) =>
        AllocationLimitsReader.Read(kind, variables.ToDictionary(v => v.Name, v => v.Value), 0.05, Configured, Clock);
}
