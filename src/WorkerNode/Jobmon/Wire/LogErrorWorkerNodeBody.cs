namespace WorkerNode.Jobmon.Wire;

/// <summary>Body of POST /task_instance/{id}/log_error_worker_node (PROTOCOL.md §4.5).</summary>
internal sealed record LogErrorWorkerNodeBody : UsageBody
{
    public LogErrorWorkerNodeBody(TaskInstanceStatus errorState, FinalReport report)
        : base(report.Usage)
    {
        ErrorState = errorState;
        // The server reads error_description unconditionally: an empty one rather than none.
        ErrorDescription = report.ErrorDescription ?? string.Empty;
        StdoutLog = report.StdoutTail;
        StderrLog = report.StderrTail;
        Stdout = report.Stdout;
        Stderr = report.Stderr;
        Nodename = report.Nodename;
        DistributorId = report.DistributorId;
    }

    public TaskInstanceStatus ErrorState { get; }

    public string ErrorDescription { get; }

    public string StdoutLog { get; }

    public string StderrLog { get; }

    public string Stdout { get; }

    public string Stderr { get; }

    public string Nodename { get; }

    public string? DistributorId { get; }
}
