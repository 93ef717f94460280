using WorkerNode.Interop;

namespace WorkerNode.Execution;

/// <summary>How the command ended: its exit code, or the signal that killed it.</summary>
public sealed record ExitStatus(int? Code, int? Signal)
{
    /// <summary>The status a shell would give: the exit code, or 128 + the signal number.</summary>
    public int ShellStatus => Code ?? (Signal is { } signal ? 128 + signal : 255);

    /// <summary>"SIGKILL" when killed by a signal, else null.</summary>
    public string? SignalName => Signal is { } signal ? Signals.Name(signal) : null;

    public bool Succeeded => Code == 0;

    internal static ExitStatus From(WaitStatus status) => new(status.ExitCode, status.TermSignal);

    /// <summary>"exit code 3" or "killed by SIGKILL (status 137)".</summary>
    public override string ToString() => Signal is { } signal
        ? $"killed by {Signals.Name(signal)} (status {128 + signal})"
        : Code is { } code ? $"exit code {code}" : "unknown exit status";
}
