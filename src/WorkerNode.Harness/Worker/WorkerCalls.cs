using WorkerNode.Harness.State;

namespace WorkerNode.Harness.Worker;

/// <summary>
/// What each worker route does to one instance (PROTOCOL.md §4 and §8). Each reads every field it needs
/// before changing anything, so that a request the real server would reject with a 500 leaves no trace,
/// as the real server's rolled-back transaction does.
/// </summary>
internal static class WorkerCalls
{
    public static object LogRunning(TaskInstance instance, RequestBody body, DateTimeOffset now)
    {
        var processGroupId = body.RequiredText("process_group_id");
        var target = RunningTarget(instance.Status);
        var moves = TransitionTable.Jobmon.Allows(instance.Status, target);
        var increment = moves ? body.RequiredNumber("next_report_increment") : body.OptionalNumber("next_report_increment");

        instance.ProcessGroupId = processGroupId;
        instance.Nodename = body.OptionalText("nodename") ?? instance.Nodename;
        instance.DistributorId = body.OptionalText("distributor_id") ?? instance.DistributorId;
        instance.NextReportIncrement = increment ?? instance.NextReportIncrement;
        if (moves && increment is { } seconds)
        {
            instance.SetStatus(target, WorkerRouteNames.LogRunning, now);
            instance.ReportBy = now.AddSeconds(seconds);
        }

        return new { task_instance = WireTaskInstance(instance) };
    }

    public static object LogReportBy(TaskInstance instance, RequestBody body, DateTimeOffset now)
    {
        var increment = body.RequiredNumber("next_report_increment");

        instance.DistributorId = body.OptionalText("distributor_id") ?? instance.DistributorId;
        instance.Stdout = body.OptionalText("stdout") ?? instance.Stdout;
        instance.Stderr = body.OptionalText("stderr") ?? instance.Stderr;
        instance.NextReportIncrement = increment;
        instance.ReportBy = now.AddSeconds(increment);
        instance.HeartbeatCount++;
        if (instance.Status == TaskStatusLetter.Triaging)
        {
            instance.TryMoveTo(TaskStatusLetter.Running, WorkerRouteNames.LogReportBy, now);
        }

        return new { status = instance.Status };
    }

    public static object LogDone(TaskInstance instance, RequestBody body, DateTimeOffset now)
    {
        CopyFinalReport(instance, body);
        instance.TryMoveTo(TaskStatusLetter.Done, WorkerRouteNames.LogDone, now);
        return new { status = instance.Status };
    }

    public static object LogErrorWorkerNode(TaskInstance instance, RequestBody body, DateTimeOffset now)
    {
        var errorState = body.RequiredText("error_state");
        var description = body.RequiredText("error_description");

        // The real server first brings a triaging instance back to R, so that T then E ends in E.
        if (instance.Status == TaskStatusLetter.Triaging)
        {
            instance.TryMoveTo(TaskStatusLetter.Running, WorkerRouteNames.LogErrorWorkerNode, now);
        }

        CopyFinalReport(instance, body);
        if (errorState is not null)
        {
            instance.TryMoveTo(errorState, WorkerRouteNames.LogErrorWorkerNode, now);
        }

        instance.AddError(errorState, description, now);
        return new { status = instance.Status };
    }

    /// <summary>log_running asks for R, but the server turns K into F and X into E instead.</summary>
    private static string RunningTarget(string current) => current switch
    {
        TaskStatusLetter.KillSelf => TaskStatusLetter.Fatal,
        TaskStatusLetter.NoHeartbeat => TaskStatusLetter.Error,
        _ => TaskStatusLetter.Running,
    };

    private static object?[] WireTaskInstance(TaskInstance instance) =>
    [
        instance.Id, instance.Status, instance.WorkflowRunId, instance.TaskId, instance.Name,
        instance.Command, instance.WorkflowId, instance.StdoutDir, instance.StderrDir,
    ];

    private static void CopyFinalReport(TaskInstance instance, RequestBody body)
    {
        instance.DistributorId = body.OptionalText("distributor_id") ?? instance.DistributorId;
        instance.Nodename = body.OptionalText("nodename") ?? instance.Nodename;
        instance.Stdout = body.OptionalText("stdout") ?? instance.Stdout;
        instance.Stderr = body.OptionalText("stderr") ?? instance.Stderr;
        instance.StdoutLog = body.OptionalText("stdout_log") ?? instance.StdoutLog;
        instance.StderrLog = body.OptionalText("stderr_log") ?? instance.StderrLog;
    }
}
