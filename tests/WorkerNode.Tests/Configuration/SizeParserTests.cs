using WorkerNode.Configuration;

namespace WorkerNode.Tests.Configuration;

public sealed class SizeParserTests
{
    private const string Garbage = "is not a size like 512M, 4G or 1.5T";

    [Theory]
    [InlineData("512M", 512L << 20)]
    [InlineData("4G", 4L << 30)]
    [InlineData("4g", 4L << 30)]
    [InlineData("4GB", 4L << 30)]
    [InlineData("4gb", 4L << 30)]
    [InlineData("4GiB", 4L << 30)]
    [InlineData("4gib", 4L << 30)]
    [InlineData("1.5T", 3L << 39)]
    [InlineData("100K", 102400)]
    [InlineData("100KiB", 102400)]
    [InlineData("1.5K", 1536)]
    [InlineData("0.1K", 102)]
    [InlineData("4 G", 4L << 30)]
    [InlineData(" 2G ", 2L << 30)]
    [InlineData("100", 100L << 20)]
    [InlineData("2048", 2L << 30)]
    [InlineData("0.5", 512L << 10)]
    public void Valid_sizes(string text, long bytes)
    {
        Assert.True(SizeParser.TryParse(text, out var value, out var error), error);
        Assert.Equal(bytes, value);
    }

    [Theory]
    [InlineData("0", "must be greater than 0")]
    [InlineData("0G", "must be greater than 0")]
    [InlineData("-1G", "must be greater than 0")]
    [InlineData("-512", "must be greater than 0")]
    [InlineData("12X", Garbage)]
    [InlineData("G", Garbage)]
    [InlineData("4GX", Garbage)]
    [InlineData("4Gi", Garbage)]
    [InlineData("4B", Garbage)]
    [InlineData("4P", Garbage)]
    [InlineData("1e3M", Garbage)]
    [InlineData("+4G", Garbage)]
    [InlineData("four", Garbage)]
    [InlineData("", "is empty")]
    [InlineData("99999999999T", "is too large")]
    public void Rejected_sizes(string text, string reason)
    {
        Assert.False(SizeParser.TryParse(text, out _, out var error));
        Assert.Equal(reason, error);
    }

    [Theory]
    [InlineData("")]
    [InlineData("G")]
    [InlineData("T")]
    public void A_number_too_large_for_a_double_is_too_large_not_garbage(string unit)
    {
        Assert.False(SizeParser.TryParse(new string('9', 400) + unit, out var bytes, out var error));
        Assert.Equal("is too large", error);
        Assert.Equal(0, bytes);
    }
}
