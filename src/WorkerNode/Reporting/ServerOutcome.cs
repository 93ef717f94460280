using WorkerNode.Jobmon;

namespace WorkerNode.Reporting;

/// <summary>What a server-mode worker does at the end: the report to send (if any), and its own exit status.</summary>
/// <param name="Report">The final report; null when the server has given the instance up and must not hear from us again.</param>
/// <param name="ExitCode">The worker's exit status once the report (if any) is delivered.</param>
/// <param name="Summary">One line for the worker's log.</param>
public sealed record ServerOutcome(FinalReport? Report, int ExitCode, string Summary)
{
    /// <summary>The summary was already logged (at ERROR, where the failure was found): not again at INFO.</summary>
    public bool SummaryLogged { get; init; }
}
