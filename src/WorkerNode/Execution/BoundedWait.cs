namespace WorkerNode.Execution;

/// <summary>Waits that end: nothing in the worker waits forever.</summary>
internal static class BoundedWait
{
    /// <summary>
    /// True when <paramref name="task"/> completes within <paramref name="timeout"/>; false when it does not (it
    /// keeps running). A task already complete costs no timer.
    /// </summary>
    public static async Task<bool> CompletesWithinAsync(this Task task, TimeSpan timeout)
    {
        if (task.IsCompleted)
        {
            return true;
        }

        try
        {
            await task.WaitAsync(timeout).ConfigureAwait(false);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }
}
