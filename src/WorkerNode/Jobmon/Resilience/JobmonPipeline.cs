using Polly;
using Polly.Retry;
using Polly.Timeout;
using WorkerNode.Configuration;
using WorkerNode.Logging;

namespace WorkerNode.Jobmon.Resilience;

/// <summary>
/// The one resilience pipeline of PROTOCOL.md §3 (Polly: a retry around a per-attempt timeout),
/// built from <see cref="HttpSettings"/>. Heartbeats get a second instance whose total budget is
/// capped at one heartbeat interval, so that a slow server never delays the next heartbeat.
/// </summary>
internal sealed class JobmonPipeline
{
    private readonly TimeProvider _time;

    private JobmonPipeline(ResiliencePipeline<HttpResponseMessage> pipeline, RetryBudget budget, TimeProvider time)
    {
        Pipeline = pipeline;
        Budget = budget;
        _time = time;
    }

    public ResiliencePipeline<HttpResponseMessage> Pipeline { get; }

    public RetryBudget Budget { get; }

    /// <param name="totalCap">A shorter total budget than retries_timeout (the heartbeat interval), or null.</param>
    public static JobmonPipeline Create(HttpSettings http, TimeSpan? totalCap, TimeProvider time, WorkerLog log, SecretScrubber scrubber)
    {
        var total = totalCap is { } cap && cap < http.RetriesTimeout ? cap : http.RetriesTimeout;
        var budget = new RetryBudget(http.RetriesAttempts, total, http.RequestTimeout, time, Random.Shared.NextDouble);
        var pipeline = new ResiliencePipelineBuilder<HttpResponseMessage> { TimeProvider = time }
            .AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                // The budget decides when to stop (attempts or time, whichever runs out first).
                MaxRetryAttempts = int.MaxValue,
                ShouldHandle = args => ShouldRetryAsync(args.Outcome, AttemptLog.Of(args.Context), budget, scrubber),
                DelayGenerator = args => ValueTask.FromResult(AttemptLog.Of(args.Context).PlannedDelay),
                OnRetry = args =>
                {
                    var attempts = AttemptLog.Of(args.Context);
                    log.Debug(
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
                TimeoutGenerator = args => ValueTask.FromResult(budget.AttemptTimeout(AttemptLog.Of(args.Context))),
            })
            .Build();
        return new JobmonPipeline(pipeline, budget, time);
    }

    /// <summary>
    /// Runs <paramref name="attempt"/> (which must build a new request each time) until it succeeds,
    /// fails for good, or the budget runs out. Never throws: the outcome is the last attempt's, and
    /// the log says how it was classified.
    /// </summary>
    public async ValueTask<(Outcome<HttpResponseMessage> Outcome, AttemptLog Attempts)> ExecuteAsync(
        string request, Func<CancellationToken, Task<HttpResponseMessage>> attempt, CancellationToken cancellationToken)
    {
        var attempts = new AttemptLog(request, _time.GetTimestamp());
        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        attempts.AttachTo(context);
        try
        {
            var outcome = await Pipeline.ExecuteOutcomeAsync(
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

    private static async ValueTask<bool> ShouldRetryAsync(Outcome<HttpResponseMessage> outcome, AttemptLog attempts, RetryBudget budget, SecretScrubber scrubber)
    {
        var result = await AttemptResult.FromAsync(outcome, scrubber.Clean);
        attempts.Record(result);
        attempts.PlannedDelay = AnswerClassifier.ShouldRetry(result.Kind) ? budget.NextDelay(attempts) : null;
        return attempts.PlannedDelay is not null;
    }
}
