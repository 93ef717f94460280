namespace WorkerNode.Harness.State;

/// <summary>One task instance's mutable state; only <see cref="TaskInstanceStore"/> touches it, under its lock.</summary>
internal sealed class TaskInstance
{
    private readonly List<StatusChange> history = [];
    private readonly List<ErrorLogEntry> errors = [];
    private readonly List<RecordedRequest> requests = [];

    public TaskInstance(long id, NewTaskInstance spec, DateTimeOffset now)
    {
        Id = id;
        Command = spec.Command ?? "";
        Name = spec.Name ?? $"task_{id}";
        StdoutDir = spec.StdoutDir ?? "";
        StderrDir = spec.StderrDir ?? "";
        Status = spec.Status ?? TaskStatusLetter.Instantiated;
        WorkflowRunId = spec.WorkflowRunId ?? 1;
        TaskId = spec.TaskId ?? id;
        WorkflowId = spec.WorkflowId ?? 1;
        Placement = spec.Placement();
        history.Add(new StatusChange(null, Status, now, "created"));
    }

    public long Id { get; }

    public string Status { get; private set; }

    public string Name { get; }

    public string Command { get; }

    public string StdoutDir { get; }

    public string StderrDir { get; }

    public long WorkflowRunId { get; }

    public long TaskId { get; }

    public long WorkflowId { get; }

    public ArrayPlacement? Placement { get; }

    public string? Nodename { get; set; }

    public string? ProcessGroupId { get; set; }

    public string? DistributorId { get; set; }

    public double? NextReportIncrement { get; set; }

    public DateTimeOffset? ReportBy { get; set; }

    public int HeartbeatCount { get; set; }

    public string? Stdout { get; set; }

    public string? Stderr { get; set; }

    public string? StdoutLog { get; set; }

    public string? StderrLog { get; set; }

    /// <summary>Asks for a status through the server's table; a refusal keeps the current one.</summary>
    public bool TryMoveTo(string requested, string cause, DateTimeOffset now)
    {
        if (!TransitionTable.Jobmon.Allows(Status, requested))
        {
            return false;
        }

        SetStatus(requested, cause, now);
        return true;
    }

    /// <summary>Sets a status without consulting the table (the admin API's override).</summary>
    public void SetStatus(string status, string cause, DateTimeOffset now)
    {
        history.Add(new StatusChange(Status, status, now, cause));
        Status = status;
    }

    public void AddError(string? errorState, string? description, DateTimeOffset now) =>
        errors.Add(new ErrorLogEntry(errorState, description, now));

    public void AddRequest(RecordedRequest request) => requests.Add(request);

    /// <summary>
    /// This instance's rows in the answer of GET /task/get_ti_details_viz/{task_id}, as the real server builds them: its
    /// query joins the error log in (outer), so an instance has one row per error-log entry, or one row without.
    /// The harness does not track usage, requested resources or queues: those columns are null.
    /// </summary>
    public IEnumerable<object> ToDetailRows()
    {
        var statusDate = history[^1].Time.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.ffffff", System.Globalization.CultureInfo.InvariantCulture);
        var submitDate = history[0].Time.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.ffffff", System.Globalization.CultureInfo.InvariantCulture);
        IEnumerable<string?> descriptions = errors.Count == 0 ? [null] : errors.Select(error => error.Description);
        return descriptions.Select(description => (object)new Dictionary<string, object?>
        {
            ["ti_id"] = Id,
            ["ti_status"] = TaskStatusLetter.Label(Status),
            ["ti_stdout"] = Stdout,
            ["ti_stderr"] = Stderr,
            ["ti_stdout_log"] = StdoutLog,
            ["ti_stderr_log"] = StderrLog,
            ["ti_distributor_id"] = DistributorId,
            ["ti_nodename"] = Nodename,
            ["ti_error_log_description"] = description,
            ["ti_wallclock"] = null,
            ["ti_maxrss"] = null,
            ["ti_resources"] = null,
            ["ti_submit_date"] = submitDate,
            ["ti_status_date"] = statusDate,
            ["ti_queue_name"] = null,
        }).ToList();
    }

    public TaskInstanceSummary ToSummary() => new(Id, Status, Name, HeartbeatCount, errors.Count, requests.Count);

    public TaskInstanceDetails ToDetails() => new(
        Id, Status, Name, Command, StdoutDir, StderrDir, WorkflowRunId, TaskId, WorkflowId,
        Placement?.ArrayId, Placement?.BatchNumber, Placement?.ArrayStepId,
        Nodename, ProcessGroupId, DistributorId, NextReportIncrement, ReportBy, HeartbeatCount,
        Stdout, Stderr, StdoutLog, StderrLog,
        [.. history], [.. errors], [.. requests]);
}
