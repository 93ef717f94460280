using WorkerNode.Configuration;
using WorkerNode.Jobmon.Resilience;
using WorkerNode.Jobmon;
using WorkerNode.Logging;
using WorkerNode.Tests.Support;

namespace WorkerNode.Tests.Jobmon;

/// <summary>Waits of 1, 2, 4... s up to 30 s, plus jitter; attempts and total time, whichever runs out first.</summary>
public sealed class RetryBudgetTests
{
    private readonly StoppedClock _time = new();

    [Fact]
    public void WaitsDoubleFromOneSecondPlusTheJitter()
    {
        Assert.Equal([1.25, 2.25, 4.25, 8.25], WaitsAfterFailures(4, jitter: 0.25));
    }

    [Fact]
    public void WaitsStopGrowingAtThirtySeconds()
    {
        var waits = WaitsAfterFailures(40, jitter: 0.5);

        Assert.Equal([1.5, 2.5, 4.5, 8.5, 16.5, 30.5, 30.5], waits.Take(7));
        Assert.All(waits.Skip(5), wait => Assert.Equal(30.5, wait));

        // Ten failures in a row, then the eleventh attempt: about three minutes of waiting, not seventeen.
        Assert.Equal(181 + 5, waits.Take(10).Sum());
    }

    [Fact]
    public void NoRetryOnceTheAttemptsAreUsedUp()
    {
        var budget = new RetryBudget(2, TimeSpan.FromHours(1), TimeSpan.FromSeconds(20), _time, () => 0);
        var attempts = new AttemptLog("POST /x", _time.GetTimestamp());

        attempts.Record(new AttemptResult(AnswerKind.Transient, 503, "HTTP 503"));
        Assert.NotNull(budget.NextDelay(attempts));
        attempts.Record(new AttemptResult(AnswerKind.Transient, 503, "HTTP 503"));
        Assert.Null(budget.NextDelay(attempts));
    }

    [Fact]
    public void NoWaitThatWouldEndPastTheTotalDeadline()
    {
        var budget = new RetryBudget(10, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(20), _time, () => 0.5);
        var attempts = new AttemptLog("POST /x", _time.GetTimestamp());
        attempts.Record(new AttemptResult(AnswerKind.Transient, 503, "HTTP 503"));

        _time.Advance(TimeSpan.FromSeconds(3.4));
        Assert.Equal(TimeSpan.FromSeconds(1.5), budget.NextDelay(attempts));
        _time.Advance(TimeSpan.FromSeconds(0.2));
        Assert.Null(budget.NextDelay(attempts));
    }

    [Fact]
    public void AnAttemptNeverRunsPastTheTotalDeadline()
    {
        var budget = new RetryBudget(10, TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(20), _time, () => 0);
        var attempts = new AttemptLog("POST /x", _time.GetTimestamp());

        Assert.Equal(TimeSpan.FromSeconds(20), budget.AttemptTimeout(attempts));
        _time.Advance(TimeSpan.FromSeconds(22));
        Assert.Equal(TimeSpan.FromSeconds(8), budget.AttemptTimeout(attempts));
        _time.Advance(TimeSpan.FromSeconds(10));
        Assert.True(budget.AttemptTimeout(attempts) > TimeSpan.Zero);
    }

    [Theory]
    [InlineData(90, 300, 90)]
    [InlineData(600, 300, 300)]
    public void TheHeartbeatBudgetIsCappedAtTheInterval(int intervalSeconds, int retriesTimeoutSeconds, int expectedTotalSeconds)
    {
        var http = new HttpSettings { RetriesTimeout = TimeSpan.FromSeconds(retriesTimeoutSeconds) };

        var heartbeat = RetryBudget.For(http, TimeSpan.FromSeconds(intervalSeconds), _time);
        var other = RetryBudget.For(http, null, _time);

        Assert.Equal(TimeSpan.FromSeconds(expectedTotalSeconds), heartbeat.Total);
        Assert.Equal(TimeSpan.FromSeconds(retriesTimeoutSeconds), other.Total);
        Assert.Equal(http.RetriesAttempts, heartbeat.MaxAttempts);
    }

    /// <summary>The wait planned after each of <paramref name="failures"/> failed attempts in a row, in seconds (a generous budget).</summary>
    private List<double> WaitsAfterFailures(int failures, double jitter)
    {
        var budget = new RetryBudget(failures + 1, TimeSpan.FromHours(1), TimeSpan.FromSeconds(20), _time, () => jitter);
        var attempts = new AttemptLog("POST /x", _time.GetTimestamp());
        return [.. Enumerable.Range(0, failures).Select(_ =>
        {
            attempts.Record(new AttemptResult(AnswerKind.Transient, 503, "HTTP 503"));
            return budget.NextDelay(attempts)!.Value.TotalSeconds;
        })];
    }
}
