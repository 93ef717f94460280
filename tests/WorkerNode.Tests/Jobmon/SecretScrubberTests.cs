using WorkerNode.Jobmon;

namespace WorkerNode.Tests.Jobmon;

/// <summary>Secrets in text from the network never reach a message, and messages stay one short line.</summary>
public sealed class SecretScrubberTests
{
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
