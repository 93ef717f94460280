using WorkerNode.Configuration;

namespace WorkerNode.Jobmon.Resilience;

/// <summary>
/// The limits of PROTOCOL.md §3 for one request: at most <see cref="MaxAttempts"/> attempts, all
/// within <see cref="Total"/> (attempts and waits), each within <see cref="RequestTimeout"/>;
/// waits of 1 s, 2 s, 4 s... up to <see cref="MaxWait"/>, plus up to 1 s of jitter. Never waits
/// past the total deadline.
/// </summary>
internal sealed class RetryBudget
{
    /// <summary>
    /// The longest wait between two attempts (before jitter). Uncapped doubling would wait 64, 128,
    /// 256 s: a server back after a two-minute restart would not be tried again for minutes, and
    /// ten failed attempts in a row would need 17 minutes. 30 s (Polly's own default cap) keeps
    /// trying twice a minute once the first waits have grown.
    /// </summary>
    public static readonly TimeSpan MaxWait = TimeSpan.FromSeconds(30);

    // Only keeps Math.Pow finite; MaxWait caps the wait long before.
    private const int MaxExponent = 16;
    private static readonly TimeSpan MinimumAttemptTimeout = TimeSpan.FromMilliseconds(1);

    private readonly TimeProvider _time;
    private readonly Func<double> _jitter;

    /// <param name="jitter">A uniform random number in [0, 1): the fraction of a second added to each wait.</param>
    public RetryBudget(int maxAttempts, TimeSpan total, TimeSpan requestTimeout, TimeProvider time, Func<double> jitter)
    {
        MaxAttempts = Math.Max(1, maxAttempts);
        Total = total;
        RequestTimeout = requestTimeout;
        _time = time;
        _jitter = jitter;
    }

    /// <summary>The budget of every request to one server, or of its heartbeats when <paramref name="totalCap"/> (the heartbeat interval) is shorter than retries_timeout.</summary>
    public static RetryBudget For(HttpSettings http, TimeSpan? totalCap, TimeProvider time)
    {
        var total = totalCap is { } cap && cap < http.RetriesTimeout ? cap : http.RetriesTimeout;
        return new RetryBudget(http.RetriesAttempts, total, http.RequestTimeout, time, Random.Shared.NextDouble);
    }

    /// <summary>One attempt of request_timeout, no retry: a heartbeat, whose retries the heartbeat loop decides.</summary>
    public static RetryBudget SingleAttempt(HttpSettings http, TimeProvider time) =>
        new(1, http.RequestTimeout, http.RequestTimeout, time, Random.Shared.NextDouble);

    public int MaxAttempts { get; }

    public TimeSpan Total { get; }

    public TimeSpan RequestTimeout { get; }

    public TimeSpan Elapsed(AttemptLog attempts) => _time.GetElapsedTime(attempts.Started);

    /// <summary>The wait before another attempt, or null when the attempts or the time are used up.</summary>
    public TimeSpan? NextDelay(AttemptLog attempts)
    {
        if (attempts.Count >= MaxAttempts)
        {
            return null;
        }

        var exponent = Math.Min(attempts.Count - 1, MaxExponent);
        var wait = Math.Min(Math.Pow(2, exponent), MaxWait.TotalSeconds);
        var delay = TimeSpan.FromSeconds(wait + _jitter());
        return Elapsed(attempts) + delay < Total ? delay : null;
    }

    /// <summary>The timeout of the next attempt: request_timeout, shortened so that no attempt runs past the total deadline.</summary>
    public TimeSpan AttemptTimeout(AttemptLog attempts)
    {
        var remaining = Total - Elapsed(attempts);
        return remaining >= RequestTimeout ? RequestTimeout
            : remaining > MinimumAttemptTimeout ? remaining
            : MinimumAttemptTimeout;
    }
}
