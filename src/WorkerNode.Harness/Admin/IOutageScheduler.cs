namespace WorkerNode.Harness.Admin;

/// <summary>Takes the whole harness off the network for a while (the <c>down</c> fault).</summary>
internal interface IOutageScheduler
{
    /// <summary>Schedules an outage that starts once <paramref name="start"/> completes; false when one is already pending.</summary>
    bool TrySchedule(TimeSpan duration, Task start);
}
