namespace WorkerNode.Harness.Worker;

/// <summary>What becomes of a worker request, decided before anything is sent so that it is recorded first.</summary>
/// <param name="StatusCode">The status to answer; null to drop the connection instead.</param>
/// <param name="Body">The body: an object written as JSON, or a <see cref="RawBody"/> written as it is.</param>
/// <param name="Applied">True when the request had its effect on the state.</param>
internal sealed record RequestOutcome(int? StatusCode, object? Body, bool Applied, long? TaskInstanceId = null)
{
    public static RequestOutcome Dropped { get; } = new(null, null, Applied: false);

    // Not cancelled by RequestAborted: writing to a connection the client dropped is a no-op.
    public Task SendAsync(HttpContext context)
    {
        if (StatusCode is not { } code)
        {
            context.Abort();
            return Task.CompletedTask;
        }

        context.Response.StatusCode = code;
        switch (Body)
        {
            case StreamedBody streamed:
                context.Response.ContentType = "application/json";
                return streamed.WriteAsync(context);
            case RawBody raw:
                context.Response.ContentType = "application/json";
                return context.Response.WriteAsync(raw.Text, CancellationToken.None);
            case { } json:
                return context.Response.WriteAsJsonAsync(json, json.GetType(), HarnessJson.Options, CancellationToken.None);
            default:
                return Task.CompletedTask;
        }
    }
}
