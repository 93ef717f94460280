using WorkerNode.Lifecycle;

namespace WorkerNode.Tests.Client;

/// <summary>Issue 12: jittered first beat, back-off that grows and never shortens the interval, and loss only on evidence.</summary>
public sealed class HeartbeatScheduleTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan ReportBy = TimeSpan.FromSeconds(3.1);
    private static readonly DateTimeOffset Start = new(2026, 12, 3, 8, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(0.0, 0.5)]
    [InlineData(0.5, 1.0)]
    [InlineData(0.999, 1.499)]
    public void The_first_heartbeat_is_spread_over_half_an_interval_either_side(double random, double seconds)
    {
        var schedule = new HeartbeatSchedule(Interval, ReportBy, Start, () => random);

        Assert.Equal(seconds, schedule.First().TotalSeconds, 3);
    }

    [Fact]
    public void After_an_accepted_heartbeat_the_next_comes_one_interval_later()
    {
        var schedule = new HeartbeatSchedule(Interval, ReportBy, Start, () => 0.7);

        Assert.Equal(Interval, schedule.Accepted(Start.AddSeconds(1)));
        Assert.Equal(Start.AddSeconds(1) + ReportBy, schedule.Deadline);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.999)]
    public void Back_off_on_a_struggling_server_grows_is_never_below_the_interval_and_is_capped(double random)
    {
        var schedule = new HeartbeatSchedule(Interval, ReportBy, Start, () => random);
        var waits = Enumerable.Range(1, 8).Select(i => schedule.Struggling(Start.AddSeconds(i))).ToArray();

        Assert.All(waits, wait => Assert.True(wait >= Interval, $"{wait} is shorter than the interval"));
        for (var i = 1; i < waits.Length; i++)
        {
            Assert.True(waits[i] >= waits[i - 1], $"the wait shrank from {waits[i - 1]} to {waits[i]}");
        }

        Assert.True(waits[^1] <= ReportBy / 2 * 1.25, $"the wait {waits[^1]} is not capped at half the window");
        Assert.True(waits[^1] > waits[0], "the wait did not grow");
        Assert.Equal(Interval, schedule.Accepted(Start.AddSeconds(20)));
        Assert.Equal(Interval * (1 + (0.25 * random)), schedule.Struggling(Start.AddSeconds(21)));
    }

    [Fact]
    public void A_slow_server_is_never_declared_lost()
    {
        var schedule = new HeartbeatSchedule(Interval, ReportBy, Start, () => 0.5);
        for (var i = 1; i <= 100; i++)
        {
            schedule.Struggling(Start.AddSeconds(i * 10));
        }

        Assert.NotNull(schedule.Unreachable(Start.AddSeconds(1001)));
    }

    [Fact]
    public void An_unreachable_server_is_lost_only_once_the_whole_window_has_passed_and_one_attempt_confirms_it_there()
    {
        var schedule = new HeartbeatSchedule(Interval, ReportBy, Start, () => 0.9);

        var first = schedule.Unreachable(Start.AddSeconds(1));
        Assert.NotNull(first);
        var second = schedule.Unreachable(Start.AddSeconds(1) + first.Value);
        Assert.NotNull(second);

        // One interval (jittered) apart, never past the deadline: the last attempt lands on it.
        Assert.Equal(Interval * 1.225, first.Value);
        Assert.Equal(Start + ReportBy, Start.AddSeconds(1) + first.Value + second.Value);
        Assert.Null(schedule.Unreachable(Start + ReportBy));
    }

    [Fact]
    public void A_sign_of_life_restarts_the_window()
    {
        var schedule = new HeartbeatSchedule(Interval, ReportBy, Start, () => 0.0);

        schedule.Struggling(Start.AddSeconds(3));

        Assert.NotNull(schedule.Unreachable(Start.AddSeconds(5)));
        Assert.Null(schedule.Unreachable(Start.AddSeconds(3) + ReportBy));
    }
}
