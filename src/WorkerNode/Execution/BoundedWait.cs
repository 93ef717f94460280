namespace WorkerNode.Execution;

/// <summary>Waits that end: nothing in the worker waits forever.</summary>
internal static class BoundedWait
{
    /// <summary>
    /// True when <paramref name="task"/> completes within <paramref name="timeout"/>; false when it does not (it
    /// keeps running). A task already complete costs no timer.
    /// </summary>
    /// <param name="task">What to wait for.</param>
    /// <param name="timeout">How long at most.</param>
    /// <param name="time">The clock that measures <paramref name="timeout"/>; the system's when null.</param>
    public static async Task<bool> CompletesWithinAsync(this Task task, TimeSpan timeout, TimeProvider? time = null)
    {
        if (task.IsCompleted)
        {
            return true;
        }

        try
        {
            await task.WaitAsync(timeout, time ?? TimeProvider.System).ConfigureAwait(false);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }
}
