using WorkerNode.Jobmon;
using WorkerNode.Jobmon.Transport;

namespace WorkerNode.Tests.Jobmon;

/// <summary>The token as sent, and that it never shows in a message. Token files are the loader's (ConfiguredFilesTests).</summary>
public sealed class BearerTokenTests
{
    [Fact]
    public void TheSettingIsTrimmed() => Assert.Equal("abc.def", BearerToken.Resolve(" abc.def\n"));

    [Theory]
    [InlineData(null)]
    [InlineData(" ")]
    public void NoTokenIsNone(string? token) => Assert.Null(BearerToken.Resolve(token));

    [Fact]
    public void ATokenThatCannotBeAHeaderIsRefusedWithoutShowingIt()
    {
        var error = Assert.Throws<JobmonConfigurationException>(() => BearerToken.Resolve("abc\r\nX-Evil: secret-part"));

        Assert.DoesNotContain("secret-part", error.Message);
    }
}
