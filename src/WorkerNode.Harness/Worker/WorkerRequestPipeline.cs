using System.Globalization;
using WorkerNode.Harness.Faults;
using WorkerNode.Harness.State;

namespace WorkerNode.Harness.Worker;

/// <summary>
/// Every worker request goes through here: read it, let an armed fault spoil it, check its path ids (422),
/// run the route (mapping the server's exceptions to its 500 body), and record what happened.
/// </summary>
internal sealed class WorkerRequestPipeline(TaskInstanceStore store, FaultBook faults, TimeProvider time, IHostApplicationLifetime lifetime)
{
    private const string StructlogHeader = "X-Server-Structlog-Context";

    public async Task HandleAsync(HttpContext context, WorkerRoute route)
    {
        var receivedAt = time.GetUtcNow();
        var body = await RequestBody.ReadAsync(context.Request, context.RequestAborted);
        var ids = route.IdParameters.Select(name => ParseId(context.Request.RouteValues[name])).ToArray();
        var fault = faults.TryTake(route.Name);
        var outcome = fault is null ? null : await FaultResponder.DecideAsync(context, fault, time, lifetime.ApplicationStopping);
        outcome ??= Answer(context, route, ids, body);

        // Recorded before the answer goes out, so that a client that has its answer finds its request in the log.
        var request = context.Request;
        store.Record(new RecordedRequest(
            request.Method,
            route.Name,
            request.PathBase + request.Path,
            request.QueryString.Value ?? "",
            request.Query["client_jobmon_version"].FirstOrDefault(),
            request.Headers[StructlogHeader].FirstOrDefault(),
            request.Headers.Authorization.FirstOrDefault(),
            body.Json,
            body.Json is null && body.Text.Length > 0 ? body.Text : null,
            receivedAt,
            route.NamesTaskInstance ? ids[0] : outcome.TaskInstanceId,
            fault?.Mode,
            outcome.StatusCode,
            outcome.Applied));
        await outcome.SendAsync(context);
    }

    private RequestOutcome Answer(HttpContext context, WorkerRoute route, long?[] ids, RequestBody body)
    {
        if (ids.Any(id => id is null))
        {
            return new RequestOutcome(StatusCodes.Status422UnprocessableEntity, PathValidationError(context, route, ids), Applied: false);
        }

        try
        {
            var answer = route.Execute(new WorkerCall([.. ids.Select(id => id!.Value)], context.Request.RouteValues, body, store));
            return new RequestOutcome(StatusCodes.Status200OK, answer.Body, Applied: true, answer.TaskInstanceId);
        }
        catch (ServerError error)
        {
            return new RequestOutcome(StatusCodes.Status500InternalServerError, error.ToBody(), Applied: false);
        }
    }

    private static long? ParseId(object? value) =>
        long.TryParse(value as string, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var id) ? id : null;

    /// <summary>The body FastAPI (pydantic 2) answers when a path parameter is not an integer.</summary>
    private static object PathValidationError(HttpContext context, WorkerRoute route, long?[] ids) => new
    {
        detail = route.IdParameters
            .Where((_, index) => ids[index] is null)
            .Select(name => new
            {
                type = "int_parsing",
                loc = new[] { "path", name },
                msg = "Input should be a valid integer, unable to parse string as an integer",
                input = context.Request.RouteValues[name] as string,
            })
            .ToArray(),
    };
}
