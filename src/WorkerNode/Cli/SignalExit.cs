namespace WorkerNode.Cli;

/// <summary>
/// The signal the worker ends by instead of exiting, when its command died of it and the exit status
/// says so (128 + N): set by the run, acted on by Program once everything is written.
/// </summary>
internal sealed class SignalExit
{
    private int _signal;

    public int? Signal => Volatile.Read(ref _signal) is var value and > 0 ? value : null;

    /// <summary>Asks for the worker to end by <paramref name="signal"/> when it exits with <paramref name="exitCode"/> = 128 + signal.</summary>
    public int Request(int? signal, int exitCode)
    {
        if (signal is { } n && exitCode == 128 + n)
        {
            Volatile.Write(ref _signal, n);
        }

        return exitCode;
    }
}
