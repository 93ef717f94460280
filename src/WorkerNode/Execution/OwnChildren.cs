namespace WorkerNode.Execution;

/// <summary>
/// The worker's own children that are not its command's: the scheduler queries (scontrol, qstat, bjobs) it
/// runs beside the command. They are children of the worker like the orphans the command leaves (the worker
/// is their subreaper), so only this record tells them apart; the command's end neither waits for them nor
/// counts them as left behind, and the tree terminator leaves them to their own time bound.
/// </summary>
/// <remarks>
/// A pid stays recorded after its query ends: the reaper, not the query, sees it go, and a worker runs a
/// handful of queries, so a pid the kernel reuses for one of the command's processes in the same run would
/// need the whole pid space to wrap around meanwhile.
/// </remarks>
public sealed class OwnChildren
{
    private readonly Lock _gate = new();
    private readonly HashSet<int> _pids = [];

    /// <summary>
    /// Runs <paramref name="spawn"/> and records the pid it returns, both under the lock that
    /// <see cref="Excluding{T}"/> takes: a look at /proc never sees the child before it is recorded.
    /// </summary>
    public int Spawn(Func<int> spawn)
    {
        ArgumentNullException.ThrowIfNull(spawn);
        lock (_gate)
        {
            var pid = spawn();
            _pids.Add(pid);
            return pid;
        }
    }

    /// <summary>Runs <paramref name="look"/> (a look at /proc) with the pids to leave out, none spawned meanwhile.</summary>
    public T Excluding<T>(Func<Func<int, bool>, T> look)
    {
        ArgumentNullException.ThrowIfNull(look);
        lock (_gate)
        {
            return look(_pids.Contains);
        }
    }
}
