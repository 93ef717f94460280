using Polly;
using WorkerNode.Logging;

namespace WorkerNode.Jobmon.Resilience;

/// <summary>
/// How one request may be retried and where its retries are logged. The pipeline itself holds no
/// settings (it is built before they are read); each execution brings its rules in its context.
/// </summary>
/// <param name="Budget">Attempts, total time and per-attempt timeout (the heartbeats' is capped at one interval).</param>
/// <param name="Log">Where retries are logged, at Debug.</param>
/// <param name="Scrubber">Keeps the bearer token out of logged answers.</param>
internal sealed record CallRules(RetryBudget Budget, WorkerLog Log, SecretScrubber Scrubber)
{
    private static readonly ResiliencePropertyKey<CallRules> Key = new("jobmon.call-rules");

    public static CallRules Of(ResilienceContext context) =>
        context.Properties.TryGetValue(Key, out var rules)
            ? rules
            : throw new InvalidOperationException("a Jobmon pipeline runs only through JobmonPipeline.ExecuteAsync");

    public void AttachTo(ResilienceContext context) => context.Properties.Set(Key, this);
}
