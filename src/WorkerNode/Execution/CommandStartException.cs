namespace WorkerNode.Execution;

/// <summary>The command could not be started; the message is one line saying what and why.</summary>
public sealed class CommandStartException : Exception
{
    public CommandStartException(string message, bool isLogFileProblem, Exception? inner = null)
        : base(message, inner) => IsLogFileProblem = isLogFileProblem;

    /// <summary>True when a log file could not be opened (an environment failure: exit 198).</summary>
    public bool IsLogFileProblem { get; }
}
