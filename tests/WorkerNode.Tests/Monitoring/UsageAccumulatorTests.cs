using WorkerNode.Interop;
using WorkerNode.Monitoring;

namespace WorkerNode.Tests.Monitoring;

public sealed class UsageAccumulatorTests
{
    private static readonly TimeSpan Second = TimeSpan.FromSeconds(1);

    [Fact]
    public void Cpu_is_the_kernels_figure_for_reaped_processes_plus_the_live_ones()
    {
        var usage = new UsageAccumulator(ticksPerSecond: 100);

        usage.Add(Sample(userTicks: 150, systemTicks: 20), Reaped(user: 2 * Second, system: Second));

        var snapshot = usage.Snapshot(Second);
        Assert.Equal(TimeSpan.FromSeconds(3.5), snapshot.CpuUser);
        Assert.Equal(TimeSpan.FromSeconds(1.2), snapshot.CpuSystem);
        Assert.Equal(TimeSpan.FromSeconds(4.7), snapshot.Cpu);
    }

    [Fact]
    public void Totals_never_go_down_when_a_reading_misses_a_process_being_reaped()
    {
        var usage = new UsageAccumulator(ticksPerSecond: 100);
        usage.Add(Sample(userTicks: 300), Reaped());

        // Reaped after the kernel's figures were read and before the walk: in neither.
        usage.Add(Sample(userTicks: 0), Reaped());

        Assert.Equal(3 * Second, usage.Snapshot(Second).CpuUser);
    }

    [Fact]
    public void Storage_io_takes_the_kernels_exact_figures_and_character_io_the_samples()
    {
        var usage = new UsageAccumulator(ticksPerSecond: 100);

        usage.Add(
            Sample(live: new IoCounters(100, 200, 1000, 2000), departed: new IoCounters(5, 5, 300, 400)),
            Reaped(readBytes: 4096, writeBytes: 8192));

        Assert.Equal(new IoCounters(4196, 8392, 1300, 2400), usage.Snapshot(Second).Io);
    }

    [Fact]
    public void Storage_io_falls_back_to_the_samples_where_they_see_more()
    {
        var usage = new UsageAccumulator(ticksPerSecond: 100);

        // A process whose parent ignored SIGCHLD is reaped without being added to anyone's rusage.
        usage.Add(Sample(departed: new IoCounters(9000, 0, 0, 0)), Reaped(readBytes: 512));

        Assert.Equal(9000, usage.Snapshot(Second).Io.ReadBytes);
    }

    [Fact]
    public void Peak_rss_is_the_larger_of_the_tree_sum_and_the_kernels_peak()
    {
        var usage = new UsageAccumulator(ticksPerSecond: 100);
        usage.Add(Sample(rss: 300, processes: 4), Reaped(maxRss: 100));
        usage.Add(Sample(rss: 50, processes: 1), Reaped(maxRss: 200));
        Assert.Equal(300, usage.Snapshot(Second).MaxRssBytes);

        usage.Add(Sample(rss: 0, processes: 0), Reaped(maxRss: 700));
        var snapshot = usage.Snapshot(Second);
        Assert.Equal(700, snapshot.MaxRssBytes);
        Assert.Equal(4, snapshot.MaxProcesses);
        Assert.Equal(3, snapshot.Samples);
    }

    [Fact]
    public void Pss_is_reported_only_when_measured()
    {
        var rssOnly = new UsageAccumulator(ticksPerSecond: 100);
        rssOnly.Add(Sample(rss: 10), Reaped());
        Assert.Null(rssOnly.Snapshot(Second).MaxPssBytes);

        var withPss = new UsageAccumulator(ticksPerSecond: 100);
        withPss.Add(Sample(pss: 80), Reaped());
        withPss.Add(Sample(pss: 30), Reaped());
        Assert.Equal(80, withPss.Snapshot(Second).MaxPssBytes);
    }

    [Fact]
    public void The_kernels_figures_are_counted_from_the_baseline_and_blocks_are_512_bytes()
    {
        var baseline = new Rusage { UserSeconds = 1, SystemMicroseconds = 500_000, BlocksIn = 10, BlocksOut = 20, MaxRssKiB = 999_999 };
        var now = new Rusage { UserSeconds = 3, SystemSeconds = 1, BlocksIn = 12, BlocksOut = 60, MaxRssKiB = 100_000 };

        var reaped = ReapedUsage.Since(baseline, now, workerPeakAtSpawn: 30L << 20);

        Assert.Equal(2 * Second, reaped.User);
        Assert.Equal(TimeSpan.FromSeconds(0.5), reaped.System);
        Assert.Equal(2 * 512, reaped.ReadBytes);
        Assert.Equal(40 * 512, reaped.WriteBytes);
        Assert.Equal(100_000L * 1024, reaped.MaxRssBytes);
    }

    [Fact]
    public void A_kernel_peak_no_larger_than_the_worker_at_spawn_is_the_workers_and_is_ignored()
    {
        var now = new Rusage { MaxRssKiB = 24_000 };

        Assert.Equal(0, ReapedUsage.Since(default, now, workerPeakAtSpawn: 24_000L * 1024).MaxRssBytes);
        Assert.Equal(24_000L * 1024, ReapedUsage.Since(default, now, workerPeakAtSpawn: 23_000L * 1024).MaxRssBytes);
    }

    private static TreeSample Sample(
        int processes = 1,
        long rss = 0,
        long? pss = null,
        long userTicks = 0,
        long systemTicks = 0,
        IoCounters live = default,
        IoCounters departed = default) => new(processes, rss, pss, userTicks, systemTicks, live, departed);

    private static ReapedUsage Reaped(TimeSpan user = default, TimeSpan system = default, long maxRss = 0, long readBytes = 0, long writeBytes = 0) =>
        new(user, system, maxRss, readBytes, writeBytes);
}
