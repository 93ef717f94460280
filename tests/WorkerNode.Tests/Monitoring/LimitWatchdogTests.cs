using WorkerNode.Monitoring;

namespace WorkerNode.Tests.Monitoring;

public sealed class LimitWatchdogTests
{
    [Fact]
    public void A_memory_breach_says_the_limit_the_use_when_and_how_many_processes()
    {
        var description = LimitWatchdog.MemoryDescription(2L << 30, 2_287_000_000, pss: false, TimeSpan.FromSeconds(102.9), 14, derivedFrom: null);

        Assert.Equal("memory limit 2.00 GiB exceeded: tree RSS 2.13 GiB at 00:01:42 (14 processes)", description);
    }

    [Fact]
    public void A_derived_memory_limit_says_where_it_came_from()
    {
        var description = LimitWatchdog.MemoryDescription(200L << 20, 300L << 20, pss: true, TimeSpan.FromSeconds(1), 1, "SLURM_MEM_PER_NODE=210 (210.00 MiB) minus 5% margin");

        Assert.Equal("memory limit 200.00 MiB exceeded: tree PSS 300.00 MiB at 00:00:01 (1 process); the limit comes from SLURM_MEM_PER_NODE=210 (210.00 MiB) minus 5% margin", description);
    }

    [Fact]
    public void An_explicit_time_limit_is_shown_as_given()
    {
        Assert.Equal("time limit 00:30:00 reached", LimitWatchdog.TimeDescription(TimeSpan.FromMinutes(30), derivedFrom: null));
        Assert.Equal("time limit 00:00:01.500 reached", LimitWatchdog.TimeDescription(TimeSpan.FromMilliseconds(1500), derivedFrom: null));
    }

    [Fact]
    public void A_time_limit_derived_from_the_allocations_end_is_shown_to_the_second_with_its_origin()
    {
        var description = LimitWatchdog.TimeDescription(TimeSpan.FromSeconds(1739.6), "SLURM_JOB_END_TIME=1717243200 (2024-06-01T12:00:00Z) minus 00:01:00 margin");

        Assert.Equal("time limit 00:29:00 reached (the allocation ends: SLURM_JOB_END_TIME=1717243200 (2024-06-01T12:00:00Z) minus 00:01:00 margin)", description);
    }
}
