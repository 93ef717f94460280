namespace WorkerNode.Harness.Worker;

/// <summary>Maps the worker routes under the route prefix.</summary>
internal static class WorkerEndpoints
{
    /// <param name="withoutTaskInstanceDetails">Leave out the details route, as a server that lacks it (it answers 404).</param>
    public static void MapWorkerRoutes(this IEndpointRouteBuilder endpoints, string routePrefix, bool withoutTaskInstanceDetails = false)
    {
        var pipeline = endpoints.ServiceProvider.GetRequiredService<WorkerRequestPipeline>();
        var load = endpoints.ServiceProvider.GetRequiredService<Load.LoadModel>();
        var api = endpoints.MapGroup(routePrefix);
        foreach (var route in WorkerRouteTable.All)
        {
            if (withoutTaskInstanceDetails && route.Name == WorkerRouteNames.TaskInstanceDetails)
            {
                continue;
            }

            api.MapMethods(route.Pattern, [route.Method], context => load.ServeAsync(context, route.Name, () => pipeline.HandleAsync(context, route))).WithName(route.Name);
        }
    }
}
