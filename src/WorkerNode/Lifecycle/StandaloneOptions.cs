namespace WorkerNode.Lifecycle;

/// <summary>What <c>worker-node run</c> was asked to do.</summary>
/// <param name="Command">The command and its arguments, run as argv (no shell).</param>
/// <param name="StdoutFile">File for the command's stdout; null passes it through.</param>
/// <param name="StderrFile">File for the command's stderr; null passes it through.</param>
/// <param name="ReportFile">Where to write the JSON report; null for none.</param>
public sealed record StandaloneOptions(IReadOnlyList<string> Command, string? StdoutFile, string? StderrFile, string? ReportFile)
{
    /// <summary>Where to write the resource profile (docs/profile-format.md); null keeps none.</summary>
    public string? MetricsFile { get; init; }

    /// <summary>The task's name in the profile; null names it after the program.</summary>
    public string? TaskName { get; init; }
}
