namespace WorkerNode.Jobmon;

/// <summary>Body of log_report_by; usage carries the current figures when known (ours).</summary>
public sealed record HeartbeatReport(double NextReportIncrement, string Stdout, string Stderr, string? DistributorId, UsageFields? Usage);
