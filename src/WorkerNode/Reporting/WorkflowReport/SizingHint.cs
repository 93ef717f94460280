namespace WorkerNode.Reporting.WorkflowReport;

/// <summary>What a template's runs used, and what request would cover them.</summary>
/// <param name="Template">The runs' template.</param>
/// <param name="Runs">How many runs.</param>
/// <param name="RequestedMemoryBytes">The largest memory requested from the scheduler for them; null when none said.</param>
/// <param name="MemoryLimitBytes">The largest memory limit the worker enforced on them; null when none.</param>
/// <param name="PeakMemoryBytes">The highest peak of any run.</param>
/// <param name="P99MemoryBytes">The 99th percentile of the runs' peaks (nearest rank).</param>
/// <param name="SuggestedMemoryBytes">The 99th percentile plus 25 % headroom, rounded up (see <see cref="RightSizing"/>).</param>
/// <param name="RequestedTimeSeconds">The longest time requested (or, without a request, enforced); null when none.</param>
/// <param name="P99WallSeconds">The 99th percentile of the runs' wall times.</param>
/// <param name="SuggestedTimeSeconds">The 99th percentile plus 25 %, rounded up to whole minutes.</param>
/// <param name="StoppedAtLimit">Runs stopped at a memory or time limit: what they would have used is unknown.</param>
public sealed record SizingHint(
    string Template,
    int Runs,
    long? RequestedMemoryBytes,
    long? MemoryLimitBytes,
    long PeakMemoryBytes,
    long P99MemoryBytes,
    long SuggestedMemoryBytes,
    double? RequestedTimeSeconds,
    double P99WallSeconds,
    double SuggestedTimeSeconds,
    int StoppedAtLimit);
