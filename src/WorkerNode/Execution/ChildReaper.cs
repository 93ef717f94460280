using WorkerNode.Interop;

namespace WorkerNode.Execution;

/// <summary>
/// The one thread that starts the command and then reaps every child of the worker: the command,
/// and every orphan reparented to the worker as subreaper (or as PID 1, everything in the
/// container), so no zombie outlives it.
/// </summary>
/// <remarks>
/// The command is spawned from this thread, not from whichever thread-pool thread happens to run
/// the caller, because the kernel sends the parent-death signal when the <em>thread</em> that
/// created the child exits; this thread lives until no child is left.
/// </remarks>
internal sealed class ChildReaper
{
    private readonly TaskCompletionSource<ExitStatus> _commandExited = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _allReaped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TaskCompletionSource _nextReap = NewReap();
    private int _commandPid;

    private ChildReaper()
    {
    }

    public int CommandPid => _commandPid;

    /// <summary>The command's exit status, once it has been reaped.</summary>
    public Task<ExitStatus> CommandExited => _commandExited.Task;

    /// <summary>Completes when the worker has no child left at all.</summary>
    public Task AllReaped => _allReaped.Task;

    /// <summary>Runs <paramref name="spawn"/> on the reaper thread and returns once it has (re-throwing its failure).</summary>
    public static ChildReaper Start(Func<int> spawn)
    {
        var reaper = new ChildReaper();
        var started = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() => reaper.Run(spawn, started)) { IsBackground = true, Name = "reaper" };
        thread.Start();
        reaper._commandPid = started.Task.GetAwaiter().GetResult();
        return reaper;
    }

    /// <summary>
    /// Completes at the next reap after this is read. Read it before looking at /proc and wait on
    /// it after: a reap in between is then never missed, and one from long ago never counts.
    /// </summary>
    public Task NextReap => Volatile.Read(ref _nextReap).Task;

    private static TaskCompletionSource NewReap() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private void Reaped() => Interlocked.Exchange(ref _nextReap, NewReap()).TrySetResult();

    private void Run(Func<int> spawn, TaskCompletionSource<int> started)
    {
        int commandPid;
        try
        {
            commandPid = spawn();
        }
        catch (Exception exception)
        {
            started.SetException(exception);
            _allReaped.TrySetResult();
            return;
        }

        started.SetResult(commandPid);
        while (ChildWait.WaitAny(out var pid, out var status))
        {
            if (pid == commandPid)
            {
                // Usually the command leaves nothing behind: say so before its status, so that
                // whoever reads the status need not look through /proc for leftovers.
                if (!ChildWait.AnyLeft())
                {
                    _allReaped.TrySetResult();
                }

                _commandExited.TrySetResult(ExitStatus.From(status));
            }

            Reaped();
        }

        // No child left. If the command was never seen (SIGCHLD ignored by whoever started us and
        // the kernel reaped it), its status is unknown rather than forever pending.
        _commandExited.TrySetResult(new ExitStatus(null, null));
        _allReaped.TrySetResult();
        Reaped();
    }
}
