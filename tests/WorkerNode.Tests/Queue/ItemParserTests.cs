using WorkerNode.Queue;

namespace WorkerNode.Tests.Queue;

public sealed class ItemParserTests
{
    [Fact]
    public void ReadsEveryFieldOfAnObject()
    {
        const string raw = """{"id":"fit-3","command":["python","fit.py"],"env":{"A":"1"},"cwd":"/data","time_limit":"2h","memory_limit":"4G","max_attempts":5,"extra":{"kept":true}}""";

        Assert.True(ItemParser.TryParse(raw, out var item, out var id, out var problem), problem);

        Assert.Equal("fit-3", id);
        Assert.Equal(["python", "fit.py"], item!.Argv!);
        Assert.Null(item.Shell);
        Assert.Equal("1", item.Environment["A"]);
        Assert.Equal("/data", item.WorkingDirectory);
        Assert.Equal(TimeSpan.FromHours(2), item.TimeLimit);
        Assert.Equal(4L << 30, item.MemoryLimitBytes);
        Assert.Equal(5, item.MaxAttempts);
        Assert.Equal(raw, item.Raw);
    }

    [Fact]
    public void ABareStringIsAShellCommandNamedByItsHash()
    {
        Assert.True(ItemParser.TryParse("echo hi; exit 3", out var item, out var id, out _));

        Assert.Equal("echo hi; exit 3", item!.Shell);
        Assert.Equal(["/bin/sh", "-c", "echo hi; exit 3"], item.DisplayCommand);
        // The same digits redis.sha1hex gives in the recovery script: sha1("echo hi; exit 3").
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA1.HashData("echo hi; exit 3"u8))[..16], id);
    }

    [Fact]
    public void AnIntegerIdIsWrittenAsLuaWritesIt()
    {
        Assert.True(ItemParser.TryParse("""{"id":42,"command":"true"}""", out _, out var id, out _));
        Assert.Equal("42", id);
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("{oops", "not valid JSON")]
    [InlineData("""{"id":"x"}""", "no \"command\"")]
    [InlineData("""{"command":[]}""", "\"command\" must be")]
    [InlineData("""{"command":[1,2]}""", "\"command\" must be")]
    [InlineData("""{"command":"  "}""", "\"command\" must be")]
    [InlineData("""{"id":"a/b","command":"true"}""", "'/'")]
    [InlineData("""{"id":1.5,"command":"true"}""", "\"id\" must be")]
    [InlineData("""{"command":"true","env":{"A":1}}""", "\"env\"")]
    [InlineData("""{"command":"true","time_limit":"soon"}""", "time_limit")]
    [InlineData("""{"command":"true","time_limit":-1}""", "time_limit")]
    [InlineData("""{"command":"true","memory_limit":"lots"}""", "memory_limit")]
    [InlineData("""{"command":"true","max_attempts":0}""", "max_attempts")]
    public void AMalformedItemGetsAReason(string raw, string reason)
    {
        Assert.False(ItemParser.TryParse(raw, out var item, out var id, out var problem));

        Assert.Null(item);
        Assert.False(string.IsNullOrEmpty(id));
        Assert.Contains(reason, problem, StringComparison.Ordinal);
    }

    [Fact]
    public void AMalformedItemKeepsItsOwnIdWhenItHasOne()
    {
        // The producer can then match the failure record to what it sent.
        Assert.False(ItemParser.TryParse("""{"id":"job-7","command":[]}""", out _, out var id, out _));
        Assert.Equal("job-7", id);
        Assert.False(ItemParser.TryParse("{oops", out _, out var hashed, out _));
        Assert.Equal(16, hashed.Length);
    }
}
