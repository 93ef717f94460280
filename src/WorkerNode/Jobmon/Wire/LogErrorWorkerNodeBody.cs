namespace WorkerNode.Jobmon.Wire;

/// <summary>Body of POST /task_instance/{id}/log_error_worker_node (PROTOCOL.md §4.5): the log_done fields plus the error.</summary>
internal sealed record LogErrorWorkerNodeBody : FinalReportBody
{
    public LogErrorWorkerNodeBody(TaskInstanceStatus errorState, FinalReport report)
        : base(report)
    {
        ErrorState = errorState;
        // The server reads error_description unconditionally: an empty one rather than none.
        ErrorDescription = report.ErrorDescription ?? string.Empty;
    }

    public TaskInstanceStatus ErrorState { get; }

    public string ErrorDescription { get; }
}
