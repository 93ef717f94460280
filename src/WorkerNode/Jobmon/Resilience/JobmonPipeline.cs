using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace WorkerNode.Jobmon.Resilience;

/// <summary>
/// The one resilience pipeline of PROTOCOL.md §3 (Polly: a retry around a per-attempt timeout).
/// It holds no settings: the budget of each execution comes with it (<see cref="CallRules"/>), so
/// that heartbeats (capped at one interval) and other calls share it, and so that it can be built
/// before the settings are read. Building it costs milliseconds (Polly validates its options by
/// reflection), which is why there is only one.
/// </summary>
internal sealed class JobmonPipeline
{
    private readonly ResiliencePipeline<HttpResponseMessage> _pipeline;
    private readonly TimeProvider _time;

    public JobmonPipeline(TimeProvider time)
    {
        _time = time;
        _pipeline = new ResiliencePipelineBuilder<HttpResponseMessage> { TimeProvider = time }
            .AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                // The budget decides when to stop (attempts or time, whichever runs out first).
                MaxRetryAttempts = int.MaxValue,
                ShouldHandle = args => ShouldRetryAsync(args.Outcome, AttemptLog.Of(args.Context), CallRules.Of(args.Context)),
                DelayGenerator = args => ValueTask.FromResult(AttemptLog.Of(args.Context).PlannedDelay),
                OnRetry = args =>
                {
                    var attempts = AttemptLog.Of(args.Context);
                    // Once per failed attempt, with the wait: a worker that cannot reach its server
                    // at start must not be silent for the whole retry budget (minutes).
                    CallRules.Of(args.Context).Log.Warning(
                        "Jobmon request failed, retrying",
                        new("request", attempts.Request),
                        new("attempt", attempts.Count),
                        new("retry_in", args.RetryDelay),
                        new("reason", attempts.Last?.Description));
                    return default;
                },
            })
            .AddTimeout(new TimeoutStrategyOptions
            {
                TimeoutGenerator = args => ValueTask.FromResult(CallRules.Of(args.Context).Budget.AttemptTimeout(AttemptLog.Of(args.Context))),
            })
            .Build();
    }

    /// <summary>
    /// Runs <paramref name="attempt"/> (which must build a new request each time) until it succeeds,
    /// fails for good, or the budget of <paramref name="rules"/> runs out. Never throws: the outcome
    /// is the last attempt's, and the log says how it was classified.
    /// </summary>
    public async ValueTask<(Outcome<HttpResponseMessage> Outcome, AttemptLog Attempts)> ExecuteAsync(
        string request, CallRules rules, Func<CancellationToken, Task<HttpResponseMessage>> attempt, CancellationToken cancellationToken)
    {
        var attempts = new AttemptLog(request, _time.GetTimestamp());
        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        attempts.AttachTo(context);
        rules.AttachTo(context);
        try
        {
            var outcome = await _pipeline.ExecuteOutcomeAsync(
                static async (context, attempt) =>
                {
                    try
                    {
                        return Outcome.FromResult(await attempt(context.CancellationToken));
                    }
                    catch (Exception error)
                    {
                        return Outcome.FromException<HttpResponseMessage>(error);
                    }
                },
                context,
                attempt);
            return (outcome, attempts);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    private static async ValueTask<bool> ShouldRetryAsync(Outcome<HttpResponseMessage> outcome, AttemptLog attempts, CallRules rules)
    {
        var result = await AttemptResult.FromAsync(outcome, rules.Scrubber.Clean);
        attempts.Record(result);
        attempts.PlannedDelay = AnswerClassifier.ShouldRetry(result.Kind) ? rules.Budget.NextDelay(attempts) : null;
        return attempts.PlannedDelay is not null;
    }
}
