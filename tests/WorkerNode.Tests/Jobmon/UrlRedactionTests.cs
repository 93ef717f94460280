using WorkerNode.Jobmon;

namespace WorkerNode.Tests.Jobmon;

/// <summary>Credentials in URLs, and secrets in text from the network, never reach a message.</summary>
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

    [Fact]
    public void TheScrubberMasksTheTokenAndUrlCredentialsOnOneLine() =>
        Assert.Equal(
            "HTTP 401: got Authorization: Bearer *** from http://***@proxy/",
            new SecretScrubber("Zm9vYmFy").Clean("HTTP 401:\ngot Authorization: Bearer Zm9vYmFy from http://u:p@proxy/"));

    [Fact]
    public void ShorteningNeverCutsAWordInHalf() =>
        Assert.Equal("aaa bbb...", TextSnippet.Shorten("aaa bbb ccccccccc", 10));

    [Fact]
    public void ShorteningPutsTextOnOneLine() =>
        Assert.Equal("a b c", TextSnippet.Shorten("a\n  b\r\n\tc\n", 100));
}
