using WorkerNode.Interop;

namespace WorkerNode.Execution;

/// <summary>
/// Ends a process tree the way slurmstepd does: a polite signal, a grace period, then SIGKILL to
/// every process still alive below the worker, repeated until none is left (a process may fork
/// while being killed). Stopped processes get SIGCONT so that they can act on the polite signal.
/// </summary>
internal sealed class TreeTerminator
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(20);
    private static readonly TimeSpan SlowestPoll = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan KillDeadline = TimeSpan.FromSeconds(5);

    private readonly int _rootPid;
    private readonly ChildReaper _reaper;
    private readonly TimeProvider _time;
    private readonly OwnChildren? _ownChildren;

    /// <param name="ownChildren">The worker's own children (its scheduler queries), which are not the command's tree.</param>
    public TreeTerminator(int rootPid, ChildReaper reaper, TimeProvider time, OwnChildren? ownChildren = null)
    {
        _rootPid = rootPid;
        _reaper = reaper;
        _time = time;
        _ownChildren = ownChildren;
    }

    /// <summary>
    /// Sends <paramref name="politeSignal"/> to the command's process group (and, when
    /// <paramref name="politeToAll"/>, to every descendant), waits up to <paramref name="grace"/>
    /// for the tree to end — less if <paramref name="skipGrace"/> fires — then kills what is left.
    /// </summary>
    public async Task TerminateAsync(int commandGroup, int politeSignal, bool politeToAll, TimeSpan grace, CancellationToken skipGrace)
    {
        var alive = Alive();
        if (alive.Count == 0)
        {
            return;
        }

        ProcessControl.TrySignalGroup(commandGroup, politeSignal);
        ProcessControl.TrySignalGroup(commandGroup, Signals.Cont);

        // The command's session is its process group's id (the spawn made it a session leader): a
        // child moved to a group of its own without leaving the session (job control, set -m,
        // process_group=0) gets the polite signal too, as the whole session would from a hang-up.
        foreach (var group in alive.Where(process => process.Session == commandGroup && process.ProcessGroup != commandGroup).Select(process => process.ProcessGroup).Distinct())
        {
            ProcessControl.TrySignalGroup(group, politeSignal);
            ProcessControl.TrySignalGroup(group, Signals.Cont);
        }

        if (politeToAll)
        {
            foreach (var process in alive)
            {
                ProcessControl.TrySignal(process.Pid, politeSignal);
                ProcessControl.TrySignal(process.Pid, Signals.Cont);
            }
        }

        await WaitUntilGoneAsync(grace, skipGrace).ConfigureAwait(false);
        await KillAllAsync(commandGroup).ConfigureAwait(false);
    }

    /// <summary>SIGKILL to the group and every descendant until none is alive (bounded).</summary>
    public async Task KillAllAsync(int commandGroup)
    {
        var deadline = _time.GetUtcNow() + KillDeadline;
        while (true)
        {
            ProcessControl.TrySignalGroup(commandGroup, Signals.Kill);
            var reap = _reaper.NextReap;
            var alive = Alive();
            if (alive.Count == 0 || _time.GetUtcNow() >= deadline)
            {
                return;
            }

            foreach (var process in alive)
            {
                ProcessControl.TrySignal(process.Pid, Signals.Kill);
            }

            await WhicheverFirstAsync(reap, PollInterval, CancellationToken.None).ConfigureAwait(false);
        }
    }

    private List<ProcStat> Alive() => ProcessTable.Descendants(_rootPid, includeZombies: false, _ownChildren);

    private async Task WaitUntilGoneAsync(TimeSpan grace, CancellationToken skipGrace)
    {
        // Grandchildren are reaped by their own parents, not by us, so a reap is only a hint: poll
        // /proc, quickly at first (most commands end at once), then less often to stay cheap.
        var deadline = _time.GetUtcNow() + grace;
        var poll = PollInterval;
        while (!skipGrace.IsCancellationRequested && _time.GetUtcNow() < deadline)
        {
            var reap = _reaper.NextReap;
            if (Alive().Count == 0)
            {
                return;
            }

            var remaining = deadline - _time.GetUtcNow();
            if (remaining <= TimeSpan.Zero)
            {
                return;
            }

            await WhicheverFirstAsync(reap, remaining < poll ? remaining : poll, skipGrace).ConfigureAwait(false);
            poll = TimeSpan.FromTicks(Math.Min(poll.Ticks * 2, SlowestPoll.Ticks));
        }
    }

    /// <summary>Returns at the reap, after the timeout or on cancellation, whichever comes first; never throws.</summary>
    private async Task WhicheverFirstAsync(Task reap, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var stopWaiting = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        await Task.WhenAny(reap, Task.Delay(timeout, _time, stopWaiting.Token)).ConfigureAwait(false);
        await stopWaiting.CancelAsync().ConfigureAwait(false);
    }
}
