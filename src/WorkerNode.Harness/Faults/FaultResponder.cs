using Microsoft.AspNetCore.WebUtilities;
using WorkerNode.Harness.Worker;

namespace WorkerNode.Harness.Faults;

/// <summary>Spoils one request the way its fault says.</summary>
internal static class FaultResponder
{
    // Cut off mid-object: not JSON, yet labelled as JSON, as a proxy that truncates a body would send it.
    private const string MalformedBody = "{\"status\": ";

    /// <summary>Answers (or drops) the request; null when it should go on to be applied (a delay the client sat through).</summary>
    public static async Task<RequestOutcome?> RespondAsync(HttpContext context, Fault fault, TimeProvider time, CancellationToken stopping)
    {
        switch (fault.Mode)
        {
            case FaultMode.Status:
                var code = fault.StatusCode ?? StatusCodes.Status503ServiceUnavailable;
                await HarnessJson.WriteAsync(context, code, new { detail = $"{ReasonPhrases.GetReasonPhrase(code)} (harness fault)" });
                return new RequestOutcome(code, Applied: false);
            case FaultMode.Delay:
                return await DelayAsync(context, TimeSpan.FromSeconds(fault.Seconds ?? 0), time, stopping);
            case FaultMode.Reset:
                context.Abort();
                return new RequestOutcome(null, Applied: false);
            case FaultMode.Malformed:
                context.Response.StatusCode = StatusCodes.Status200OK;
                context.Response.ContentType = "application/json";
                await context.Response.WriteAsync(MalformedBody, CancellationToken.None);
                return new RequestOutcome(StatusCodes.Status200OK, Applied: false);
            case FaultMode.WrongShape:
                await HarnessJson.WriteAsync(context, StatusCodes.Status200OK, new { unexpected = true });
                return new RequestOutcome(StatusCodes.Status200OK, Applied: false);
            default:
                throw new ArgumentOutOfRangeException(nameof(fault), fault.Mode, "this mode does not fire on a request");
        }
    }

    // A client that gave up (or a harness shutting down) must not see its request applied later:
    // the wait ends early on RequestAborted, and then the request is dropped, not applied.
    private static async Task<RequestOutcome?> DelayAsync(HttpContext context, TimeSpan delay, TimeProvider time, CancellationToken stopping)
    {
        using var either = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, stopping);
        try
        {
            await Task.Delay(delay, time, either.Token);
            return context.RequestAborted.IsCancellationRequested ? Dropped(context) : null;
        }
        catch (OperationCanceledException)
        {
            return Dropped(context);
        }
    }

    private static RequestOutcome Dropped(HttpContext context)
    {
        context.Abort();
        return new RequestOutcome(null, Applied: false);
    }
}
