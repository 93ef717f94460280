using System.Runtime.Versioning;
using WorkerNode.Jobmon;
using WorkerNode.Jobmon.Transport;

namespace WorkerNode.Tests.Jobmon;

/// <summary>Where the token comes from, and that it never shows in a message.</summary>
[UnsupportedOSPlatform("windows")]
public sealed class BearerTokenTests : IDisposable
{
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("jobmon-token-");

    [Fact]
    public void TheSettingWinsAndIsTrimmed() => Assert.Equal("abc.def", BearerToken.Resolve(" abc.def\n", "/does/not/matter"));

    [Fact]
    public void NoTokenIsNone() => Assert.Null(BearerToken.Resolve(" ", null));

    [Fact]
    public void APrivateTokenFileIsRead()
    {
        var path = TokenFile("from-file\n", UnixFileMode.UserRead | UnixFileMode.UserWrite);

        Assert.Equal("from-file", BearerToken.Resolve(null, path));
    }

    [Fact]
    public void ATokenFileOthersCanReadIsRefused()
    {
        var path = TokenFile("from-file-secret\n", UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead);

        var error = Assert.Throws<JobmonConfigurationException>(() => BearerToken.Resolve(null, path));

        Assert.Contains("chmod 600", error.Message);
        Assert.DoesNotContain("from-file-secret", error.Message);
    }

    [Fact]
    public void ATokenThatCannotBeAHeaderIsRefusedWithoutShowingIt()
    {
        var error = Assert.Throws<JobmonConfigurationException>(() => BearerToken.Resolve("abc\r\nX-Evil: secret-part", null));

        Assert.DoesNotContain("secret-part", error.Message);
    }

    public void Dispose() => _directory.Delete(recursive: true);

    private string TokenFile(string content, UnixFileMode mode)
    {
        var path = Path.Combine(_directory.FullName, "token");
        File.WriteAllText(path, content);
        File.SetUnixFileMode(path, mode);
        return path;
    }
}
