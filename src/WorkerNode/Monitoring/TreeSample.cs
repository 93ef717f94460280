namespace WorkerNode.Monitoring;

/// <summary>
/// One look at the command's process tree (every descendant of the worker).
/// </summary>
/// <param name="Processes">Live processes (zombies left out).</param>
/// <param name="RssBytes">Sum of their resident set sizes.</param>
/// <param name="PssBytes">Sum of their proportional set sizes; null when PSS is not measured.</param>
/// <param name="UserTicks">User CPU of the processes in the tree (zombies included) and of the children they have reaped, in clock ticks.</param>
/// <param name="SystemTicks">System CPU, counted the same way.</param>
/// <param name="LiveIo">I/O of the processes in the tree and of the children they have reaped.</param>
/// <param name="DepartedIo">The last seen I/O of processes that have left the tree without a parent in it to inherit their counters.</param>
internal readonly record struct TreeSample(
    int Processes,
    long RssBytes,
    long? PssBytes,
    long UserTicks,
    long SystemTicks,
    IoCounters LiveIo,
    IoCounters DepartedIo);
