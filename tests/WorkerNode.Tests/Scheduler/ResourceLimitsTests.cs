using WorkerNode.Configuration;
using WorkerNode.Scheduler;

namespace WorkerNode.Tests.Scheduler;

public sealed class ResourceLimitsTests
{
    private static readonly DateTimeOffset Now = new(2024, 5, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly FixedTimeProvider Clock = new(Now);

    private static readonly AllocationLimits Allocation = new(
        3L << 30, Now + TimeSpan.FromHours(3), "SLURM_MEM_PER_NODE=...", "SLURM_JOB_END_TIME=...");

    [Fact]
    public void Explicit_limits_win_over_the_allocation()
    {
        var settings = new WorkerNodeSettings { TimeLimit = TimeSpan.FromHours(1), MemoryLimitBytes = 1L << 30 };
        var expected = new ResourceLimits(
            TimeSpan.FromHours(1), Now + TimeSpan.FromHours(1), 1L << 30, "worker_node.time_limit 01:00:00", "worker_node.memory_limit 1.00 GiB");
        Assert.Equal(expected, ResourceLimits.Combine(settings, Allocation, Clock));
    }

    [Fact]
    public void Derived_limits_fill_in_what_is_not_explicit()
    {
        // The allocation says its end but not its granted limit: the scheduler may be asked for it.
        var expected = new ResourceLimits(TimeSpan.FromHours(3), Now + TimeSpan.FromHours(3), 3L << 30, "SLURM_JOB_END_TIME=...", "SLURM_MEM_PER_NODE=...") { GrantedTimeUnknown = true };
        Assert.Equal(expected, ResourceLimits.Combine(new WorkerNodeSettings(), Allocation, Clock));
    }

    [Fact]
    public void Each_limit_is_decided_on_its_own()
    {
        var limits = ResourceLimits.Combine(new WorkerNodeSettings { MemoryLimitBytes = 512L << 20 }, Allocation, Clock);

        Assert.Equal(512L << 20, limits.MemoryLimitBytes);
        Assert.Equal(TimeSpan.FromHours(3), limits.TimeLimit);
    }

    [Fact]
    public void An_end_time_already_past_leaves_no_time()
    {
        var ended = Allocation with { EndTime = Now - TimeSpan.FromMinutes(1) };
        var limits = ResourceLimits.Combine(new WorkerNodeSettings(), ended, Clock);

        Assert.Equal(TimeSpan.Zero, limits.TimeLimit);
        Assert.Equal(Now, limits.Deadline);
    }

    [Fact]
    public void Without_an_allocation_only_explicit_limits_apply()
    {
        Assert.Equal(new ResourceLimits(null, null, null, null, null), ResourceLimits.Combine(new WorkerNodeSettings(), null, Clock));
        Assert.Equal(new ResourceLimits(null, null, null, null, null), ResourceLimits.Combine(new WorkerNodeSettings(), AllocationLimits.None, Clock));

        var limits = ResourceLimits.Combine(new WorkerNodeSettings { TimeLimit = TimeSpan.FromMinutes(15) }, null, Clock);
        Assert.Equal(TimeSpan.FromMinutes(15), limits.TimeLimit);
        Assert.Null(limits.MemoryLimitBytes);
    }

    [Fact]
    public void From_environment_to_watchdog_limits()
    {
        var environment = new Dictionary<string, string>
        {
            ["SLURM_JOB_ID"] = "99",
            ["SLURM_MEM_PER_NODE"] = "2048",
            ["SLURM_JOB_END_TIME"] = (Now + TimeSpan.FromHours(2)).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        var settings = new WorkerNodeSettings();
        var facts = SchedulerDetector.Detect(environment, 1);
        var allocation = AllocationLimitsReader.Read(facts.Kind, environment, settings.MemoryMargin, settings.TimeMargin, Clock);
        var limits = ResourceLimits.Combine(settings, allocation, Clock);

        Assert.Equal(TimeSpan.FromHours(2) - TimeSpan.FromMinutes(1), limits.TimeLimit);
        Assert.Equal((long)Math.Floor((2L << 30) * 0.95), limits.MemoryLimitBytes);
        Assert.Equal("SLURM_MEM_PER_NODE=2048 (2.00 GiB) minus 5% margin", limits.MemoryLimitSource);
    }

    [Fact]
    public void A_time_limit_past_the_end_of_the_calendar_saturates_instead_of_overflowing()
    {
        var limits = ResourceLimits.Combine(new WorkerNodeSettings { TimeLimit = TimeSpan.MaxValue }, null, Clock);

        Assert.Equal(TimeSpan.MaxValue, limits.TimeLimit);
        Assert.Equal(DateTimeOffset.MaxValue, limits.Deadline);
    }

    [Fact]
    public void An_allocation_ending_at_the_end_of_the_calendar_is_a_long_but_valid_limit()
    {
        var limits = ResourceLimits.Combine(new WorkerNodeSettings(), Allocation with { EndTime = DateTimeOffset.MaxValue }, Clock);

        Assert.Equal(DateTimeOffset.MaxValue - Now, limits.TimeLimit);
        Assert.Equal(DateTimeOffset.MaxValue, limits.Deadline);
    }
}
