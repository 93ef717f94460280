using WorkerNode.Configuration;

namespace WorkerNode.Tests.Configuration;

public sealed class DisplayFormatTests
{
    [Theory]
    [InlineData(2L << 30, "2.00 GiB")]
    [InlineData(512L << 20, "512.00 MiB")]
    [InlineData(1536, "1.50 KiB")]
    [InlineData(1023, "1023 B")]
    [InlineData(0, "0 B")]
    [InlineData(1L << 40, "1.00 TiB")]
    [InlineData(4080218931, "3.80 GiB")]
    [InlineData(-(2L << 30), "-2.00 GiB")]
    public void Sizes(long bytes, string expected) => Assert.Equal(expected, DisplayFormat.Size(bytes));

    [Theory]
    [InlineData(1800, "00:30:00")]
    [InlineData(90, "00:01:30")]
    [InlineData(93600, "1-02:00:00")]
    [InlineData(90000, "1-01:00:00")]
    [InlineData(86399, "23:59:59")]
    [InlineData(864000, "10-00:00:00")]
    [InlineData(0.5, "00:00:00.500")]
    [InlineData(0, "00:00:00")]
    [InlineData(-60, "-00:01:00")]
    public void Durations(double seconds, string expected) => Assert.Equal(expected, DisplayFormat.Duration(TimeSpan.FromSeconds(seconds)));

    [Theory]
    [InlineData(0.05, "5%")]
    [InlineData(0.025, "2.5%")]
    [InlineData(0, "0%")]
    public void Percentages(double fraction, string expected) => Assert.Equal(expected, DisplayFormat.Percent(fraction));

    [Theory]
    [InlineData("1-02:00:00")]
    [InlineData("00:30:00")]
    [InlineData("12:34:56")]
    public void Formatted_durations_parse_back(string text)
    {
        Assert.True(DurationParser.TryParseTimeLimit(text, out var value, out _));
        Assert.Equal(text, DisplayFormat.Duration(value));
    }
}
