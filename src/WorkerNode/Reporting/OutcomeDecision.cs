using WorkerNode.Cli;
using WorkerNode.Execution;
using WorkerNode.Jobmon;

namespace WorkerNode.Reporting;

/// <summary>
/// Turns how the command ended into the one final report and the worker's exit status
/// (PROTOCOL.md §4–§5). Pure: everything it needs is in its arguments.
/// </summary>
public static class OutcomeDecision
{
    /// <summary>Where the report's paths, node and id come from, and what the run used.</summary>
    /// <param name="KernelOomKill">
    /// When the job's memory cgroup counted a kernel OOM kill while the command ran, the sentence saying so
    /// (<see cref="UsageFormat.KernelOomKill"/>); a command that then fails is reported Z, not E.
    /// </param>
    /// <param name="Command">The command as the server gave it (server mode), for the texts Jobmon users search for; null when unknown.</param>
    public sealed record ReportContext(string Stdout, string Stderr, string Nodename, string? DistributorId, UsageFields? Usage, string? KernelOomKill = null, string? Command = null);

    public static ServerOutcome Decide(CommandResult result, ReportContext context)
    {
        var status = result.Status;
        switch (result.StoppedBy)
        {
            case { Reason: StopReason.ServerGaveUp } stop:
                return new ServerOutcome(null, ExitCodes.WorkerFailed, $"{stop.Description}; the command was stopped ({status}) and nothing more is reported");
            case { Reason: StopReason.KillSelf } stop:
                // The Python worker's sentence first (users and tools search for it), then ours.
                return Error(
                    TaskInstanceStatus.Fatal,
                    $"Command: '{context.Command ?? "(unknown)"}' got KILL_SELF event. Process shut down with exit code: '{status.ShellStatus}'. {stop.Description}; the command was stopped ({status})",
                    status.ShellStatus);
            case { Reason: StopReason.LostServer } stop:
                return Error(TaskInstanceStatus.Error, $"{stop.Description}; the command was stopped ({status})", ExitCodes.WorkerFailed);
            case { Reason: StopReason.OutsideSignal } stop:
                return Error(TaskInstanceStatus.Error, $"{Capitalized(stop.Description)}; the command was stopped ({status}){ErrorMessageWas(result.StderrTail)}", 128 + stop.Signal);
            case { Reason: StopReason.MemoryLimit or StopReason.TimeLimit } stop:
                return Error(TaskInstanceStatus.ResourceError, $"{Capitalized(stop.Description)}; the command was stopped ({status}){ErrorMessageWas(result.StderrTail)}", LimitStatus(status));
        }

        if (status.Succeeded && result.OutputLost.Count > 0)
        {
            // Its log files are incomplete (a full disk, say): not a success to record as D.
            return Error(TaskInstanceStatus.Error, $"The command succeeded (exit code 0), but {string.Join("; ", result.OutputLost.Select(loss => loss.Description))}; its output is incomplete", ExitCodes.Environment);
        }

        if (status.Succeeded)
        {
            return new ServerOutcome(Report(null, null), 0, "the command succeeded");
        }

        // Exactly the Python worker's wording, so that the server's users and tools read the same text.
        // Deliberate difference: a command killed by signal N is reported as 128+N with the signal's name
        // ("Got exit_code: 137 (killed by SIGKILL)"), as a shell and the scheduler's accounting show it, and the
        // worker exits with that status; the Python worker reported Popen's negative return code ("-9").
        var code = status.Signal is { } ? $"{status.ShellStatus} (killed by {status.SignalName})" : $"{status.ShellStatus}";
        var pythonDescription = $"Got exit_code: {code}. Error message was: {result.StderrTail}";

        // The kernel, not the worker, enforced memory here (a scheduler's cgroup limit): still a resource error,
        // so that the scheduler may retry with more memory.
        return context.KernelOomKill is { } oomKill
            ? Error(TaskInstanceStatus.ResourceError, $"{Capitalized(oomKill)}; Got exit_code: {code}{ErrorMessageWas(result.StderrTail)}", status.ShellStatus)
            : Error(TaskInstanceStatus.Error, pythonDescription, status.ShellStatus);

        ServerOutcome Error(TaskInstanceStatus state, string description, int exitCode) =>
            new(Report(state, description), exitCode, $"the command ended ({status}): reporting {state}");

        FinalReport Report(TaskInstanceStatus? state, string? description) => new(
            state,
            description,
            context.Stdout,
            context.Stderr,
            result.StdoutTail,
            result.StderrTail,
            context.Nodename,
            context.DistributorId,
            context.Usage);
    }

    /// <summary>". Error message was: TAIL", or nothing when the command wrote nothing to stderr (no description ends in an empty one).</summary>
    private static string ErrorMessageWas(string stderrTail) =>
        string.IsNullOrWhiteSpace(stderrTail) ? "." : $". Error message was: {stderrTail}";

    /// <summary>The worker's exit status after a limit stop: the command's, but never 0 (<see cref="ExitCodes.StoppedByLimit"/>).</summary>
    public static int LimitStatus(ExitStatus status) => status.ShellStatus == 0 ? ExitCodes.StoppedByLimit : status.ShellStatus;

    private static string Capitalized(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];
}
