using WorkerNode.Reporting.Profiles;

namespace WorkerNode.Tests.Profiles;

public sealed class ProfileFileTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("wn-profile-file-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Theory]
    [InlineData("fit_model_3.m77", "fit_model_3.m77")]
    [InlineData("../../etc/passwd", "_.._.._etc_passwd")]
    [InlineData("/abs/name", "_abs_name")]
    [InlineData(".hidden", "_.hidden")]
    [InlineData("a b;c$(x)", "a_b_c__x_")]
    [InlineData("", "_")]
    public void ATaskNameBecomesAFileNameThatStaysInItsDirectory(string name, string expected) =>
        Assert.Equal(expected, ProfileFile.SafeName(name));

    [Fact]
    public void NewFilesInADirectoryNeverReplaceAnother()
    {
        var first = ProfileFile.WriteNewIn(_directory, "task.m1", "a"u8);
        var second = ProfileFile.WriteNewIn(_directory, "task.m1", "b"u8);

        Assert.Equal(Path.Combine(_directory, "task.m1.jsonl"), first);
        Assert.Equal(Path.Combine(_directory, "task.m1.1.jsonl"), second);
        Assert.Equal("a", File.ReadAllText(first));
        Assert.Equal("b", File.ReadAllText(second));
        Assert.Equal(2, Directory.GetFileSystemEntries(_directory).Length);
    }

    [Fact]
    public void ASymlinkAtTheNameIsNotFollowed()
    {
        var victim = Path.Combine(_directory, "victim");
        File.WriteAllText(victim, "precious");
        File.CreateSymbolicLink(Path.Combine(_directory, "task.m1.jsonl"), victim);

        var written = ProfileFile.WriteNewIn(_directory, "task.m1", "profile"u8);

        Assert.Equal("precious", File.ReadAllText(victim));
        Assert.Equal(Path.Combine(_directory, "task.m1.1.jsonl"), written);
    }

    [Fact]
    public void AMissingDirectoryIsCreatedOwnerOnly()
    {
        var directory = Path.Combine(_directory, "a", "b");

        ProfileFile.WriteNewIn(directory, "t", "x"u8);

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(directory));
    }

    [Fact]
    public void ADirectoryEveryoneMayWriteWithoutTheStickyBitIsRefused()
    {
        var open = Directory.CreateDirectory(Path.Combine(_directory, "open")).FullName;
        File.SetUnixFileMode(open, (UnixFileMode)0b111_111_111);

        var exception = Assert.Throws<IOException>(() => ProfileFile.WriteNewIn(open, "t", "x"u8));

        Assert.Equal($"the directory {open} is writable by everyone and has no sticky bit, so anyone could replace the files written there; use a directory of your own, or make it sticky (chmod +t)", exception.Message);
        Assert.Empty(Directory.GetFileSystemEntries(open));
        File.SetUnixFileMode(open, (UnixFileMode)0b1_111_111_111);
        ProfileFile.WriteNewIn(open, "t", "x"u8);
    }

    [Fact]
    public void ReplacingLeavesNoTemporaryFileBehind()
    {
        var path = Path.Combine(_directory, "run.jsonl");
        ProfileFile.WriteReplacing(path, "one"u8);
        ProfileFile.WriteReplacing(path, "two"u8);

        Assert.Equal("two", File.ReadAllText(path));
        Assert.Equal([path], Directory.GetFileSystemEntries(_directory));
    }
}
