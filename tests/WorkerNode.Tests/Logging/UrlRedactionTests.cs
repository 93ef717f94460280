using WorkerNode.Logging;

namespace WorkerNode.Tests.Logging;

/// <summary>Credentials in URLs never reach a message.</summary>
public sealed class UrlRedactionTests
{
    [Theory]
    [InlineData("http://user:pass@host:8070/api/v3", "http://***@host:8070/api/v3")]
    [InlineData("https://token@host", "https://***@host")]
    [InlineData("http://user:p@ss@host/x", "http://***@host/x")]
    [InlineData("http://host:8070/api/v3", "http://host:8070/api/v3")]
    [InlineData("http://host/a@b", "http://host/a@b")]
    [InlineData("failed: http://a:b@h1/x and https://c:d@h2?q", "failed: http://***@h1/x and https://***@h2?q")]
    [InlineData("http://***@host", "http://***@host")]
    [InlineData("no url here", "no url here")]
    public void Text(string text, string expected) => Assert.Equal(expected, UrlRedaction.Redact(text));

    [Fact]
    public void Uri() => Assert.Equal("http://***@h:8070/api/v3", UrlRedaction.Redact(new Uri("http://u:secret@h:8070/api/v3")));

    [Theory]
    [InlineData("ftp://user:secret@host", "ftp://***@host")]
    [InlineData("user:secret@host:8070", "***@host:8070")]
    [InlineData("user:secret@host:8070/api/v3", "***@host:8070/api/v3")]
    [InlineData("host:8070/a@b", "host:8070/a@b")]
    [InlineData("not a url", "not a url")]
    public void WrittenUrlsLoseTheirUserInformationEvenWithoutAScheme(string url, string expected) =>
        Assert.Equal(expected, UrlRedaction.RedactWritten(url));
}
