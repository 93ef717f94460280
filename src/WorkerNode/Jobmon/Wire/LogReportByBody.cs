namespace WorkerNode.Jobmon.Wire;

/// <summary>Body of POST /task_instance/{id}/log_report_by, the heartbeat (PROTOCOL.md §4.3).</summary>
internal sealed record LogReportByBody : UsageBody
{
    public LogReportByBody(HeartbeatReport report)
        : base(report.Usage)
    {
        NextReportIncrement = report.NextReportIncrement;
        Stdout = report.Stdout;
        Stderr = report.Stderr;
        DistributorId = report.DistributorId;
    }

    public double NextReportIncrement { get; }

    public string Stdout { get; }

    public string Stderr { get; }

    public string? DistributorId { get; }
}
