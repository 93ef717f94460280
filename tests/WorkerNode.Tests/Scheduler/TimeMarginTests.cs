using WorkerNode.Scheduler;

namespace WorkerNode.Tests.Scheduler;

public sealed class TimeMarginTests
{
    private static readonly TimeSpan Configured = TimeSpan.FromSeconds(60);

    [Theory]
    [InlineData(7200, 60)] // long jobs: the configured margin
    [InlineData(120, 15)]  // a 2-minute job keeps 1:45, not 1:00
    [InlineData(40, 10)]   // a quarter of a very short limit
    [InlineData(300, 30)]  // a tenth
    public void The_margin_fits_the_limit(int limitSeconds, int marginSeconds) =>
        Assert.Equal(TimeSpan.FromSeconds(marginSeconds), TimeMargin.For(TimeSpan.FromSeconds(limitSeconds), Configured));

    [Fact]
    public void An_unknown_limit_takes_the_configured_margin() => Assert.Equal(Configured, TimeMargin.For(null, Configured));

    [Fact]
    public void A_zero_configured_margin_is_kept() => Assert.Equal(TimeSpan.Zero, TimeMargin.For(TimeSpan.FromSeconds(120), TimeSpan.Zero));
}
