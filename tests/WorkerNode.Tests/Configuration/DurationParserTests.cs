using WorkerNode.Configuration;

namespace WorkerNode.Tests.Configuration;

public sealed class DurationParserTests
{
    private const string Garbage = "is not a duration; give a unit: 90s, 15m, 2h or HH:MM:SS";

    [Theory]
    [InlineData("90s", 90)]
    [InlineData("15m", 900)]
    [InlineData("2h", 7200)]
    [InlineData("1d", 86400)]
    [InlineData("1.5h", 5400)]
    [InlineData("500ms", 0.5)]
    [InlineData("2H", 7200)]
    [InlineData("15M", 900)]
    [InlineData(" 90s ", 90)]
    [InlineData("90 s", 90)]
    [InlineData("3 hours", 10800)]
    [InlineData("01:30:00", 5400)]
    [InlineData("30:00", 1800)]
    [InlineData("90:00", 5400)]
    [InlineData("100:00:00", 360000)]
    [InlineData("1-02:00:00", 93600)]
    [InlineData("1-02:00", 93600)]
    [InlineData("1-02", 93600)]
    [InlineData("0-00:00:30", 30)]
    [InlineData("2-00:30:15", 174615)]
    public void Time_limit_forms(string text, double seconds)
    {
        Assert.True(DurationParser.TryParseTimeLimit(text, out var value, out var error), error);
        Assert.Equal(TimeSpan.FromSeconds(seconds), value);
    }

    [Theory]
    [InlineData("90", "has no unit; give a unit: 90s, 15m, 2h or HH:MM:SS")]
    [InlineData("1.5", "has no unit; give a unit: 90s, 15m, 2h or HH:MM:SS")]
    [InlineData("0s", "must be greater than 0")]
    [InlineData("00:00:00", "must be greater than 0")]
    [InlineData("-3s", "must be greater than 0")]
    [InlineData("-01:00:00", "must be greater than 0")]
    [InlineData("12X", Garbage)]
    [InlineData("abc", Garbage)]
    [InlineData("h", Garbage)]
    [InlineData("1.2.3h", Garbage)]
    [InlineData("1e3s", Garbage)]
    [InlineData("--3s", Garbage)]
    [InlineData("+3s", Garbage)]
    [InlineData("1:2:3:4", Garbage)]
    [InlineData("01:60:00", Garbage)]
    [InlineData("01:00:60", Garbage)]
    [InlineData("1-24:00", Garbage)]
    [InlineData("1-", Garbage)]
    [InlineData("-", Garbage)]
    [InlineData(":30", Garbage)]
    [InlineData("1:30s", Garbage)]
    [InlineData("", "is empty")]
    [InlineData("   ", "is empty")]
    [InlineData("99999999999999d", "is too long")]
    public void Time_limit_rejections(string text, string reason)
    {
        Assert.False(DurationParser.TryParseTimeLimit(text, out _, out var error));
        Assert.Equal(reason, error);
    }

    [Theory]
    [InlineData("20", 20)]
    [InlineData("0.5", 0.5)]
    [InlineData("0", 0)]
    [InlineData("-5", -5)]
    [InlineData("1s", 1)]
    [InlineData("2m", 120)]
    [InlineData("00:01:30", 90)]
    public void Seconds_forms_read_a_bare_number_as_seconds(string text, double seconds)
    {
        Assert.True(DurationParser.TryParseSeconds(text, out var value, out var error), error);
        Assert.Equal(TimeSpan.FromSeconds(seconds), value);
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("12X")]
    [InlineData("NaN")]
    [InlineData("Infinity")]
    [InlineData("1,5")]
    public void Seconds_rejections_say_seconds(string text)
    {
        Assert.False(DurationParser.TryParseSeconds(text, out _, out var error));
        Assert.Equal("is not a number of seconds", error);
    }

    [Fact]
    public void A_number_too_large_for_a_double_is_too_long_not_garbage()
    {
        var huge = new string('9', 400);
        Assert.False(DurationParser.TryParseSeconds(huge, out _, out var seconds));
        Assert.Equal("is too long", seconds);
        Assert.False(DurationParser.TryParseTimeLimit(huge + "d", out _, out var limit));
        Assert.Equal("is too long", limit);
    }
}
