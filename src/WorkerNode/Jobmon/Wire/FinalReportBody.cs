namespace WorkerNode.Jobmon.Wire;

/// <summary>
/// Body of POST /task_instance/{id}/log_done (PROTOCOL.md §4.4), and the fields that
/// log_error_worker_node shares with it (unsealed for <see cref="LogErrorWorkerNodeBody"/> only).
/// </summary>
internal record FinalReportBody : ReportBody
{
    public FinalReportBody(FinalReport report)
        : base(report.Stdout, report.Stderr, report.DistributorId, report.Usage)
    {
        StdoutLog = report.StdoutTail;
        StderrLog = report.StderrTail;
        Nodename = report.Nodename;
    }

    public string StdoutLog { get; }

    public string StderrLog { get; }

    public string Nodename { get; }
}
