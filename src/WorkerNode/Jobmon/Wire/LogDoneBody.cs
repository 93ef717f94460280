namespace WorkerNode.Jobmon.Wire;

/// <summary>Body of POST /task_instance/{id}/log_done (PROTOCOL.md §4.4).</summary>
internal sealed record LogDoneBody : UsageBody
{
    public LogDoneBody(FinalReport report)
        : base(report.Usage)
    {
        Stdout = report.Stdout;
        Stderr = report.Stderr;
        StdoutLog = report.StdoutTail;
        StderrLog = report.StderrTail;
        Nodename = report.Nodename;
        DistributorId = report.DistributorId;
    }

    public string Stdout { get; }

    public string Stderr { get; }

    public string StdoutLog { get; }

    public string StderrLog { get; }

    public string Nodename { get; }

    public string? DistributorId { get; }
}
