using WorkerNode.Harness.State;

namespace WorkerNode.Harness.Worker;

/// <summary>The worker routes of PROTOCOL.md §4 (paths relative to the route prefix).</summary>
internal static class WorkerRouteTable
{
    public static IReadOnlyList<WorkerRoute> All { get; } =
    [
        new(
            WorkerRouteNames.GetArrayTaskInstanceId,
            HttpMethods.Get,
            "/get_array_task_instance_id/{array_id}/{batch_num}/{step_id}",
            ["array_id", "batch_num", "step_id"],
            NamesTaskInstance: false,
            ResolveArrayStep),
        OnTaskInstance(WorkerRouteNames.LogRunning, WorkerCalls.LogRunning),
        OnTaskInstance(WorkerRouteNames.LogReportBy, WorkerCalls.LogReportBy),
        OnTaskInstance(WorkerRouteNames.LogDone, WorkerCalls.LogDone),
        OnTaskInstance(WorkerRouteNames.LogErrorWorkerNode, WorkerCalls.LogErrorWorkerNode),
        new(WorkerRouteNames.Cluster, HttpMethods.Get, "/cluster/{cluster_name}", [], NamesTaskInstance: false, DescribeCluster),
        new(
            WorkerRouteNames.TaskInstanceDetails,
            HttpMethods.Get,
            "/task/get_ti_details_viz/{task_id}",
            ["task_id"],
            NamesTaskInstance: false,
            DescribeTaskInstances),
    ];

    /// <summary>True for a route name a fault may target: one of the routes, or <c>*</c>.</summary>
    public static bool IsFaultTarget(string? name) =>
        name == WorkerRouteNames.Any || All.Any(route => route.Name == name);

    private static WorkerRoute OnTaskInstance(string name, Func<TaskInstance, RequestBody, DateTimeOffset, object> call) =>
        new(
            name,
            HttpMethods.Post,
            $"/task_instance/{{task_instance_id}}/{name}",
            ["task_instance_id"],
            NamesTaskInstance: true,
            request =>
            {
                var id = request.Ids[0];
                var body = request.Store.WithInstance(id, (instance, now) => call(instance, request.Body, now));
                return new WorkerAnswer(body ?? throw ServerError.NoResultFound(), id);
            });

    private static WorkerAnswer ResolveArrayStep(WorkerCall request)
    {
        var placement = new ArrayPlacement(request.Ids[0], request.Ids[1], request.Ids[2]);
        var id = request.Store.FindByPlacement(placement) ?? throw ServerError.NoResultFound();
        return new WorkerAnswer(new { task_instance_id = id }, id);
    }

    // The real server's routes/v3/cli/task.py: {"taskinstances": [rows]}, read-only; an unknown task is an empty list.
    private static WorkerAnswer DescribeTaskInstances(WorkerCall request) =>
        new(new { taskinstances = request.Store.DetailRowsOfTask(request.Ids[0]) }, null);

    // The Python worker loads its scheduler plugin from this answer; every cluster is a Slurm one here.
    private static WorkerAnswer DescribeCluster(WorkerCall request) =>
        new(new { cluster = new object?[] { 1, request.RouteValues["cluster_name"] as string, "slurm", "{}" } }, null);
}
