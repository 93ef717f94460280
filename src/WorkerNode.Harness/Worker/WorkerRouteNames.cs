namespace WorkerNode.Harness.Worker;

/// <summary>The names by which the admin API, faults and request records refer to the worker routes.</summary>
public static class WorkerRouteNames
{
    public const string GetArrayTaskInstanceId = "get_array_task_instance_id";
    public const string LogRunning = "log_running";
    public const string LogReportBy = "log_report_by";
    public const string LogDone = "log_done";
    public const string LogErrorWorkerNode = "log_error_worker_node";
    public const string Cluster = "cluster";

    /// <summary>The read-only route of the real server's CLI and GUI that a spool flush asks before it delivers a report.</summary>
    public const string TaskInstanceDetails = "get_ti_details_viz";

    /// <summary>A fault on this route name matches every worker route.</summary>
    public const string Any = "*";
}
