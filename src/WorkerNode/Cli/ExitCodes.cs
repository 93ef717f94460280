namespace WorkerNode.Cli;

/// <summary>The worker's own exit statuses (PROTOCOL.md §1); otherwise it exits with the command's status.</summary>
public static class ExitCodes
{
    /// <summary>A bad flag or flag value.</summary>
    public const int Usage = 2;

    /// <summary>
    /// A time or memory limit stopped the command and it still exited 0 (it caught the SIGTERM): as
    /// coreutils' timeout says, so that a limit stop never looks like full success.
    /// </summary>
    public const int StoppedByLimit = 124;

    /// <summary>The command could not be found (as a shell says).</summary>
    public const int CommandNotFound = 127;

    /// <summary>The environment is unusable: version mismatch, bad configuration, unusable log directory.</summary>
    public const int Environment = 198;

    /// <summary>The worker itself failed: server unreachable past the retry budget, unexpected answer, non-R log_running, an internal error.</summary>
    public const int WorkerFailed = 199;
}
