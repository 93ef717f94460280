namespace WorkerNode.Reporting;

/// <summary>The outcome of <see cref="SpoolInstanceCheck.Judge"/>: what to do, and in words why (for the log line).</summary>
public sealed record SpoolCheckVerdict(SpoolCheckAction Action, string Reason);
