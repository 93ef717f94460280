namespace WorkerNode.Jobmon.Wire;

/// <summary>Body of POST /task_instance/{id}/log_report_by, the heartbeat (PROTOCOL.md §4.3).</summary>
internal sealed record LogReportByBody : ReportBody
{
    public LogReportByBody(HeartbeatReport report)
        : base(report.Stdout, report.Stderr, report.DistributorId, report.Usage)
    {
        NextReportIncrement = report.NextReportIncrement;
    }

    public double NextReportIncrement { get; }
}
