using Microsoft.AspNetCore.WebUtilities;
using WorkerNode.Harness.Worker;

namespace WorkerNode.Harness.Faults;

/// <summary>Decides how a fault spoils one request.</summary>
internal static class FaultResponder
{
    // Cut off mid-object: not JSON, yet labelled as JSON, as from a proxy that truncated the body.
    private static readonly RawBody Malformed = new("{\"status\": ");

    // As a misconfigured proxy or a server bug once sent (issue 14): far more than any answer.
    private const long OversizedBytes = 200L * 1024 * 1024;

    /// <summary>The spoiled outcome; null when the request should go on to be applied (a delay the client sat through).</summary>
    public static async Task<RequestOutcome?> DecideAsync(HttpContext context, Fault fault, TimeProvider time, CancellationToken stopping) =>
        fault.Mode switch
        {
            FaultMode.Status => Status(fault.StatusCode ?? StatusCodes.Status503ServiceUnavailable),
            FaultMode.Delay => await DelayAsync(context, TimeSpan.FromSeconds(fault.Seconds ?? 0), time, stopping),
            FaultMode.Reset => RequestOutcome.Dropped,
            FaultMode.Malformed => new RequestOutcome(StatusCodes.Status200OK, Malformed, Applied: false),
            FaultMode.WrongShape => new RequestOutcome(StatusCodes.Status200OK, new { unexpected = true }, Applied: false),
            FaultMode.Oversized => new RequestOutcome(StatusCodes.Status200OK, new StreamedBody(OversizedBytes), Applied: false),
            _ => throw new ArgumentOutOfRangeException(nameof(fault), fault.Mode, "this mode does not fire on a request"),
        };

    private static RequestOutcome Status(int code) =>
        new(code, new { detail = $"{ReasonPhrases.GetReasonPhrase(code)} (harness fault)" }, Applied: false);

    // A client that gave up (or a harness shutting down) must not see its request applied later:
    // the wait ends early on RequestAborted, and then the request is dropped, not applied.
    private static async Task<RequestOutcome?> DelayAsync(HttpContext context, TimeSpan delay, TimeProvider time, CancellationToken stopping)
    {
        using var either = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, stopping);
        try
        {
            await Task.Delay(delay, time, either.Token);
            return context.RequestAborted.IsCancellationRequested ? RequestOutcome.Dropped : null;
        }
        catch (OperationCanceledException)
        {
            return RequestOutcome.Dropped;
        }
    }
}
