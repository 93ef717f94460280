using Polly;

namespace WorkerNode.Jobmon.Resilience;

/// <summary>
/// What happened so far to one request: when it started, how many attempts, the last outcome,
/// the wait planned before the next one. It rides in the Polly context of that one execution.
/// </summary>
internal sealed class AttemptLog
{
    private static readonly ResiliencePropertyKey<AttemptLog> Key = new("jobmon.attempt-log");

    /// <param name="request">e.g. <c>POST /task_instance/12/log_running</c>.</param>
    /// <param name="started">A <see cref="TimeProvider.GetTimestamp"/> of the pipeline's clock.</param>
    public AttemptLog(string request, long started)
    {
        Request = request;
        Started = started;
    }

    public string Request { get; }

    public long Started { get; }

    public int Count { get; private set; }

    public AttemptResult? Last { get; private set; }

    /// <summary>The wait before the next attempt, decided with the decision to retry (null: no retry).</summary>
    public TimeSpan? PlannedDelay { get; set; }

    public static AttemptLog Of(ResilienceContext context) =>
        context.Properties.TryGetValue(Key, out var log)
            ? log
            : throw new InvalidOperationException("a Jobmon pipeline runs only through JobmonPipeline.ExecuteAsync");

    public void AttachTo(ResilienceContext context) => context.Properties.Set(Key, this);

    public void Record(AttemptResult result)
    {
        Count++;
        Last = result;
    }
}
