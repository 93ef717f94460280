using WorkerNode.Harness.Faults;
using WorkerNode.Harness.Load;
using WorkerNode.Harness.State;

namespace WorkerNode.Harness.Admin;

/// <summary>The admin API under <c>/admin</c> (documented in README.md): create and inspect instances, override statuses, arm faults.</summary>
internal static class AdminEndpoints
{
    public static void MapAdminRoutes(this IEndpointRouteBuilder endpoints)
    {
        var admin = endpoints.MapGroup("/admin").AddEndpointFilter(AnswerProblems);

        admin.MapPost("/task_instances", CreateTaskInstanceAsync);
        admin.MapGet("/task_instances", (TaskInstanceStore store) => Json(StatusCodes.Status200OK, new { task_instances = store.Summaries() }));
        admin.MapGet("/task_instances/{id:long}", (long id, TaskInstanceStore store) =>
            Json(StatusCodes.Status200OK, store.Details(id) ?? throw UnknownInstance(id)));
        admin.MapPut("/task_instances/{id:long}/status", SetStatusAsync);
        admin.MapGet("/requests", (TaskInstanceStore store) => Json(StatusCodes.Status200OK, new { requests = store.Requests() }));

        admin.MapGet("/faults", (FaultBook faults) => Json(StatusCodes.Status200OK, new { faults = faults.List() }));
        admin.MapPost("/faults", ArmFaultAsync);
        admin.MapDelete("/faults", (FaultBook faults) =>
        {
            faults.Clear();
            return Results.NoContent();
        });

        admin.MapGet("/load", (LoadModel load) => Json(StatusCodes.Status200OK, load.Statistics()));
        admin.MapPut("/load", async (HttpRequest request, LoadModel load) =>
        {
            var settings = await AdminBody.ReadAsync<LoadSettings>(request);
            if (settings.Problem() is { } problem)
            {
                throw new AdminProblem(StatusCodes.Status400BadRequest, problem);
            }

            load.Apply(settings);
            return Json(StatusCodes.Status200OK, load.Statistics());
        });

        admin.MapPost("/reset", (TaskInstanceStore store, FaultBook faults) =>
        {
            store.Clear();
            faults.Clear();
            return Results.NoContent();
        });
    }

    private static async Task<IResult> CreateTaskInstanceAsync(HttpRequest request, TaskInstanceStore store)
    {
        var spec = await AdminBody.ReadAsync<NewTaskInstance>(request);
        if (spec.Command is null)
        {
            throw new AdminProblem(StatusCodes.Status400BadRequest, "command is required");
        }

        if (spec.Status is not null && !TaskStatusLetter.IsKnown(spec.Status))
        {
            throw UnknownStatus(spec.Status);
        }

        if (spec.HasPartialPlacement())
        {
            throw new AdminProblem(StatusCodes.Status400BadRequest, "array_id, batch_number and array_step_id go together: give all three or none");
        }

        var id = store.TryCreate(spec)
            ?? throw new AdminProblem(StatusCodes.Status409Conflict, $"another instance already holds the array placement {spec.Placement()}");
        return Json(StatusCodes.Status201Created, new { task_instance_id = id });
    }

    private static async Task<IResult> SetStatusAsync(long id, HttpRequest request, TaskInstanceStore store)
    {
        var update = await AdminBody.ReadAsync<StatusUpdate>(request);
        if (!TaskStatusLetter.IsKnown(update.Status))
        {
            throw UnknownStatus(update.Status);
        }

        return store.SetStatus(id, update.Status!)
            ? Json(StatusCodes.Status200OK, new { task_instance_id = id, status = update.Status })
            : throw UnknownInstance(id);
    }

    private static async Task<IResult> ArmFaultAsync(HttpContext context, FaultBook faults, IOutageScheduler outages)
    {
        var request = await AdminBody.ReadAsync<FaultRequest>(context.Request);
        if (request.Problem() is { } problem)
        {
            throw new AdminProblem(StatusCodes.Status400BadRequest, problem);
        }

        if (request.Mode == FaultMode.Down)
        {
            // The outage begins only once this answer is out, so the test that asked for it hears back.
            var answered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            if (!outages.TrySchedule(TimeSpan.FromSeconds(request.Seconds!.Value), answered.Task))
            {
                throw new AdminProblem(StatusCodes.Status409Conflict, "an outage is already pending");
            }

            context.Response.OnCompleted(() =>
            {
                answered.TrySetResult();
                return Task.CompletedTask;
            });
        }

        return Json(StatusCodes.Status201Created, faults.Add(request));
    }

    private static async ValueTask<object?> AnswerProblems(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        try
        {
            return await next(context);
        }
        catch (AdminProblem problem)
        {
            return Json(problem.StatusCode, new { error = problem.Message });
        }
    }

    private static IResult Json(int statusCode, object body) => Results.Json(body, HarnessJson.Options, statusCode: statusCode);

    private static AdminProblem UnknownInstance(long id) => new(StatusCodes.Status404NotFound, $"no task instance {id}");

    private static AdminProblem UnknownStatus(string? status) =>
        new(StatusCodes.Status400BadRequest, $"status must be one of {string.Join("", TaskStatusLetter.All)}, not '{status}'");
}
