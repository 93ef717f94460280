namespace WorkerNode.Execution;

/// <summary>Why the worker stopped the command before it ended by itself.</summary>
public enum StopReason
{
    /// <summary>The server said K: the workflow was resumed elsewhere.</summary>
    KillSelf,

    /// <summary>The server answered a heartbeat with a status other than R or K (e.g. the reaper's X).</summary>
    ServerGaveUp,

    /// <summary>No heartbeat was accepted for longer than next_report_increment.</summary>
    LostServer,

    /// <summary>The worker received SIGTERM, SIGINT, SIGHUP or SIGQUIT (preemption, the scheduler's time limit, a user).</summary>
    OutsideSignal,

    /// <summary>The process tree used more memory than the limit.</summary>
    MemoryLimit,

    /// <summary>The wall-clock limit was reached.</summary>
    TimeLimit,
}
