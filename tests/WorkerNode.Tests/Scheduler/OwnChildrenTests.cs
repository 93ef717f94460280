using WorkerNode.Execution;

namespace WorkerNode.Tests.Scheduler;

/// <summary>
/// The worker's own children (its scheduler queries) and everything below them are not the command's tree; the
/// command's orphans, reparented to the worker, still are.
/// </summary>
public sealed class OwnChildrenTests
{
    private const int Worker = 100;

    [Fact]
    public void A_query_and_its_child_are_left_out_and_the_commands_tree_and_orphans_are_not()
    {
        List<ProcStat> snapshot =
        [
            Process(101, Worker), // the command's shim
            Process(102, 101),    // the command
            Process(103, Worker), // an orphan of the command, reparented to the worker
            Process(104, Worker), // a query's shim
            Process(105, 104),    // the query (scontrol)
        ];
        var own = new OwnChildren();
        own.Spawn(() => 104);

        var tree = own.Excluding(isOwn => ProcessTable.Descendants(snapshot, Worker, includeZombies: false, isOwn));

        Assert.Equal([101, 103, 102], tree.Select(process => process.Pid));
    }

    [Fact]
    public void Only_the_workers_direct_children_are_taken_for_its_own()
    {
        // A pid recorded as a query's is not skipped deeper in the tree (it can only be the worker's child).
        List<ProcStat> snapshot = [Process(101, Worker), Process(104, 101)];
        var own = new OwnChildren();
        own.Spawn(() => 104);

        var tree = own.Excluding(isOwn => ProcessTable.Descendants(snapshot, Worker, includeZombies: false, isOwn));

        Assert.Equal([101, 104], tree.Select(process => process.Pid));
    }

    [Fact]
    public void A_failed_spawn_records_nothing()
    {
        var own = new OwnChildren();

        Assert.Throws<InvalidOperationException>(() => own.Spawn(() => throw new InvalidOperationException("spawn failed")));
        Assert.False(own.Excluding(isOwn => isOwn(0)));
    }

    private static ProcStat Process(int pid, int parent) => new(pid, 'S', parent, pid, pid, 0, 0, 0, 0, 1, 0, 0);
}
