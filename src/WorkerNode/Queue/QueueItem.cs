namespace WorkerNode.Queue;

/// <summary>One well-formed work item, as taken from the queue.</summary>
/// <param name="Raw">The item exactly as it sits in the lists (what LREM must match).</param>
/// <param name="Id">Its id: the item's own, or the first 16 hex digits of the SHA-1 of <paramref name="Raw"/>.</param>
/// <param name="Argv">The command run directly (no shell), or null when <paramref name="Shell"/> is given.</param>
/// <param name="Shell">A command line for <c>/bin/sh -c</c>, or null.</param>
/// <param name="Environment">Variables added to the worker's own environment for this command.</param>
/// <param name="WorkingDirectory">Where the command starts, or null for the worker's own.</param>
/// <param name="TimeLimit">This item's wall-clock limit (beats the worker's), or null.</param>
/// <param name="MemoryLimitBytes">This item's memory limit (beats the worker's), or null.</param>
/// <param name="MaxAttempts">How many expired leases the item survives before it is given up, or null for the worker's default.</param>
public sealed record QueueItem(
    string Raw,
    string Id,
    IReadOnlyList<string>? Argv,
    string? Shell,
    IReadOnlyDictionary<string, string> Environment,
    string? WorkingDirectory,
    TimeSpan? TimeLimit,
    long? MemoryLimitBytes,
    int? MaxAttempts)
{
    /// <summary>The command as the result record shows it: the argv, or sh -c and the line.</summary>
    public IReadOnlyList<string> DisplayCommand => Argv ?? ["/bin/sh", "-c", Shell!];
}
