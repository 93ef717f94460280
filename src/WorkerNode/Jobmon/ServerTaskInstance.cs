namespace WorkerNode.Jobmon;

/// <summary>
/// One task instance as the server's read-only details route shows it (GET /task/get_ti_details_viz/{task_id}):
/// what a spool flush compares a report with before it sends it.
/// </summary>
/// <param name="TaskInstanceId">ti_id.</param>
/// <param name="Status">The status letter of <paramref name="StatusLabel"/>; null for a label this version does not know.</param>
/// <param name="StatusLabel">ti_status as the server answers it: a label such as RUNNING or TRIAGING (its task_instance_status table).</param>
/// <param name="Nodename">ti_nodename: the node log_running recorded, or null.</param>
/// <param name="DistributorId">ti_distributor_id, or null.</param>
public sealed record ServerTaskInstance(long TaskInstanceId, TaskInstanceStatus? Status, string StatusLabel, string? Nodename, string? DistributorId);
