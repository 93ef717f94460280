using WorkerNode.Monitoring;

namespace WorkerNode.Tests.Monitoring;

public sealed class ProcessTreeSamplerTests : IDisposable
{
    private const int Worker = 100;
    private const long Page = 4096;
    private readonly FakeProc _proc = new(Worker);

    public void Dispose() => _proc.Dispose();

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Every_descendant_is_found_through_the_children_of_every_thread_or_else_a_scan(bool childrenFiles)
    {
        using var proc = new FakeProc(Worker, childrenFiles: childrenFiles);
        BuildTree(proc);
        proc.Process(900, parent: 1, rssPages: 5000);
        var sampler = Sampler(proc);

        var sample = sampler.Sample();

        Assert.Equal(childrenFiles, sampler.WalksChildrenFiles);
        Assert.Equal(4, sample.Processes);
        Assert.Equal((10 + 20 + 30 + 40) * Page, sample.RssBytes);
    }

    [Fact]
    public void The_worker_itself_is_not_part_of_the_tree()
    {
        var sample = Sampler(_proc).Sample();

        Assert.Equal(0, sample.Processes);
        Assert.Equal(0, sample.RssBytes);
    }

    [Fact]
    public void Cpu_counts_each_process_and_the_children_it_has_reaped()
    {
        _proc.Process(200, parent: Worker, userTicks: 10, systemTicks: 2, childrenUserTicks: 30, childrenSystemTicks: 4);
        _proc.Process(210, parent: 200, userTicks: 5, systemTicks: 1);
        _proc.Children(Worker, 200);
        _proc.Children(200, 210);

        var sample = Sampler(_proc).Sample();

        Assert.Equal(10 + 30 + 5, sample.UserTicks);
        Assert.Equal(2 + 4 + 1, sample.SystemTicks);
    }

    [Fact]
    public void A_zombie_keeps_its_cpu_and_io_but_is_not_a_live_process()
    {
        _proc.Process(200, parent: Worker, rssPages: 10);
        _proc.Process(210, parent: 200, state: 'Z', userTicks: 7, rssPages: 0, wchar: 500);
        _proc.Children(Worker, 200);
        _proc.Children(200, 210);

        var sample = Sampler(_proc).Sample();

        Assert.Equal(1, sample.Processes);
        Assert.Equal(7, sample.UserTicks);
        Assert.Equal(500, sample.LiveIo.Wchar);
    }

    [Fact]
    public void Pss_is_summed_only_when_measured()
    {
        BuildTree(_proc);

        Assert.Null(Sampler(_proc).Sample().PssBytes);
        Assert.Equal(4 * 200 * 1024, Sampler(_proc, measurePss: true).Sample().PssBytes);
    }

    [Fact]
    public void A_process_listed_twice_in_one_sample_counts_once()
    {
        _proc.Process(200, parent: Worker, rssPages: 10, rchar: 100);
        // Reparented between two reads: listed by its old parent's thread and the worker's.
        _proc.Process(300, parent: Worker, rssPages: 1);
        _proc.Children(Worker, 200, 300);
        _proc.Children(300, 200);

        var sample = Sampler(_proc).Sample();

        Assert.Equal(2, sample.Processes);
        Assert.Equal(11 * Page, sample.RssBytes);
        Assert.Equal(100, sample.LiveIo.Rchar);
    }

    [Fact]
    public void Io_of_a_child_reaped_by_the_worker_is_kept_from_its_last_sample()
    {
        _proc.Process(200, parent: Worker, rchar: 1000, wchar: 10, readBytes: 4096, writeBytes: 8192);
        _proc.Children(Worker, 200);
        var sampler = Sampler(_proc);
        Assert.Equal(new IoCounters(4096, 8192, 1000, 10), sampler.Sample().LiveIo);

        _proc.Remove(200);
        _proc.Children(Worker);
        var sample = sampler.Sample();

        Assert.Equal(default, sample.LiveIo);
        Assert.Equal(new IoCounters(4096, 8192, 1000, 10), sample.DepartedIo);
    }

    [Fact]
    public void Io_of_a_child_reaped_by_a_parent_in_the_tree_is_left_to_the_parent()
    {
        var sampler = SampledParentAndChild();

        // The parent reaped it: the kernel added the child's final counters to the parent's.
        _proc.Remove(210);
        _proc.Children(200);
        _proc.Process(200, parent: Worker, rchar: 1060);
        var sample = sampler.Sample();

        Assert.Equal(1060, sample.LiveIo.Rchar);
        Assert.Equal(0, sample.DepartedIo.Rchar);
    }

    [Fact]
    public void When_a_parent_and_its_child_end_together_both_are_kept()
    {
        var sampler = SampledParentAndChild();

        _proc.Remove(210);
        _proc.Remove(200);
        _proc.Children(Worker);
        var sample = sampler.Sample();

        Assert.Equal(1050, sample.DepartedIo.Rchar);
        Assert.Equal(1050, sampler.Sample().DepartedIo.Rchar);
    }

    [Fact]
    public void A_reused_pid_is_a_new_process()
    {
        _proc.Process(200, parent: Worker, startTicks: 1000, wchar: 70);
        _proc.Children(Worker, 200);
        var sampler = Sampler(_proc);
        sampler.Sample();

        _proc.Process(200, parent: Worker, startTicks: 2000, wchar: 5);
        var sample = sampler.Sample();

        Assert.Equal(70, sample.DepartedIo.Wchar);
        Assert.Equal(5, sample.LiveIo.Wchar);
    }

    [Fact]
    public void The_workers_own_peak_comes_from_its_status()
    {
        Assert.Equal(24000L * 1024, Sampler(_proc).ReadRootPeakRss());
    }

    /// <summary>A child of the worker (rchar 1000) with a child of its own (rchar 50), sampled once.</summary>
    private ProcessTreeSampler SampledParentAndChild()
    {
        _proc.Process(200, parent: Worker, rchar: 1000);
        _proc.Process(210, parent: 200, rchar: 50);
        _proc.Children(Worker, 200);
        _proc.Children(200, 210);
        var sampler = Sampler(_proc);
        sampler.Sample();
        return sampler;
    }

    /// <summary>
    /// Worker threads 100 and 102 each forked a child; 300 has two threads and its second forked 310.
    /// </summary>
    private static void BuildTree(FakeProc proc)
    {
        proc.Process(200, parent: Worker, rssPages: 10);
        proc.Process(210, parent: 200, rssPages: 20);
        proc.Process(300, parent: Worker, rssPages: 30, threads: 2);
        proc.Process(310, parent: 300, rssPages: 40);
        if (proc.ChildrenFiles)
        {
            proc.Children(Worker, 200);
            proc.ThreadChildren(Worker, Worker + 2, 300);
            proc.Children(200, 210);
            proc.ThreadChildren(300, 301, 310);
        }
    }

    private static ProcessTreeSampler Sampler(FakeProc proc, bool measurePss = false) =>
        new(Worker, measurePss, proc.Root, Page);
}
