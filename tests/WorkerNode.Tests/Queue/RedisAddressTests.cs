using WorkerNode.Queue;

namespace WorkerNode.Tests.Queue;

public sealed class RedisAddressTests
{
    [Theory]
    [InlineData("redis://cache", "cache", 6379, false, 0)]
    [InlineData("redis://127.0.0.1:7000/3", "127.0.0.1", 7000, false, 3)]
    [InlineData("rediss://redis.example:6380", "redis.example", 6380, true, 0)]
    [InlineData("redis://[::1]:6379", "::1", 6379, false, 0)]
    public void ReadsHostPortTlsAndDatabase(string url, string host, int port, bool tls, int database)
    {
        Assert.True(RedisAddress.TryParse(url, out var address, out var error), error);

        Assert.Equal(host, address!.Host);
        Assert.Equal(port, address.Port);
        Assert.Equal(tls, address.Tls);
        Assert.Equal(database, address.Database);
    }

    [Fact]
    public void APasswordInTheUrlIsUsedButNeverDisplayed()
    {
        Assert.True(RedisAddress.TryParse("redis://worker:hunter2@cache:6379", out var address, out _));

        Assert.Equal("worker", address!.User);
        Assert.Equal("hunter2", address.Password);
        Assert.DoesNotContain("hunter2", address.Display, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", address.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", $"{address}", StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("localhost:6379")]
    [InlineData("http://cache:6379")]
    [InlineData("redis://cache:6379/zero")]
    [InlineData("not a url")]
    public void RefusesWhatIsNotARedisUrl(string url)
    {
        Assert.False(RedisAddress.TryParse(url, out _, out var error));
        Assert.Contains("redis", error, StringComparison.Ordinal);
    }
}
