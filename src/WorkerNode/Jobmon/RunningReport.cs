namespace WorkerNode.Jobmon;

/// <summary>Body of log_running.</summary>
public sealed record RunningReport(string Nodename, int ProcessGroupId, double NextReportIncrement, string? DistributorId);
