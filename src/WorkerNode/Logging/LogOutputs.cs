namespace WorkerNode.Logging;

/// <summary>
/// The process's two log descriptors, each with one never-blocking writer shared by everything that writes
/// lines there (the log and the one-line errors), and the bounded flush at exit.
/// </summary>
public sealed class LogOutputs
{
    /// <summary>How long the exit waits for lines still queued: long enough for any reader that reads, and
    /// short enough that a stuck one (a full pipe, a paused terminal) never keeps the worker alive.</summary>
    public static readonly TimeSpan ExitFlushTimeout = TimeSpan.FromSeconds(1);

    private readonly Lazy<DescriptorLineWriter> _stdout = new(() => new DescriptorLineWriter(1));
    private readonly Lazy<DescriptorLineWriter> _stderr = new(() => new DescriptorLineWriter(2));

    public DescriptorLineWriter StandardOutput => _stdout.Value;

    public DescriptorLineWriter StandardError => _stderr.Value;

    public DescriptorLineWriter For(LogDestination destination) =>
        destination == LogDestination.Stdout ? StandardOutput : StandardError;

    /// <summary>Waits at most <paramref name="timeout"/> in all for both writers; false if lines are left behind.</summary>
    public bool Flush(TimeSpan timeout)
    {
        var deadline = Environment.TickCount64 + (long)timeout.TotalMilliseconds;
        var done = true;
        foreach (var writer in new[] { _stdout, _stderr })
        {
            if (writer.IsValueCreated)
            {
                done &= writer.Value.Flush(TimeSpan.FromMilliseconds(Math.Max(0, deadline - Environment.TickCount64)));
            }
        }

        return done;
    }
}
