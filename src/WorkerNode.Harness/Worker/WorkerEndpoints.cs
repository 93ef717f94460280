namespace WorkerNode.Harness.Worker;

/// <summary>Maps the worker routes under the route prefix.</summary>
internal static class WorkerEndpoints
{
    public static void MapWorkerRoutes(this IEndpointRouteBuilder endpoints, string routePrefix)
    {
        var pipeline = endpoints.ServiceProvider.GetRequiredService<WorkerRequestPipeline>();
        var load = endpoints.ServiceProvider.GetRequiredService<Load.LoadModel>();
        var api = endpoints.MapGroup(routePrefix);
        foreach (var route in WorkerRouteTable.All)
        {
            api.MapMethods(route.Pattern, [route.Method], context => load.ServeAsync(context, route.Name, () => pipeline.HandleAsync(context, route))).WithName(route.Name);
        }
    }
}
