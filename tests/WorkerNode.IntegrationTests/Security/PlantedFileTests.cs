using WorkerNode.IntegrationTests.Faults;
using WorkerNode.IntegrationTests.Infrastructure;
using WorkerNode.IntegrationTests.Server;

namespace WorkerNode.IntegrationTests.Security;

/// <summary>
/// Files the worker creates are never written through a name someone else planted: report and probe
/// temporary files, log files (both modes), and task names that would lead out of stdout_dir.
/// </summary>
public sealed class PlantedFileTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("wn-planted-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Theory]
    [InlineData("tmp")]
    [InlineData("probe")]
    public async Task ASymlinkPlantedAtTheReportsTemporaryNameIsNotWrittenThrough(string suffix)
    {
        // The worker's pid is the shell's: exec keeps it, so the old predictable name .NAME.PID.SUFFIX can be planted.
        var victim = Victim();
        var result = await WorkerRun.RunAsync(
            ["-c", $"cd '{_directory}' && ln -s '{victim}' \".r.json.$$.{suffix}\" && exec \"$0\" run --report r.json -- true", WorkerBinary.Path],
            program: "/bin/sh");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("secret\n", File.ReadAllText(victim));
        Assert.Null(new FileInfo(Path.Combine(_directory, "r.json")).LinkTarget);
        Assert.Contains("\"exit_code\": 0", File.ReadAllText(Path.Combine(_directory, "r.json")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AStdoutLogThatIsASymlinkIsRefusedBeforeTheCommandRuns()
    {
        var victim = Victim();
        var log = Path.Combine(_directory, "out.log");
        File.CreateSymbolicLink(log, victim);
        var marker = Path.Combine(_directory, "ran");

        var result = await WorkerRun.RunAsync(["run", "--stdout", log, "--", "sh", "-c", $"echo leaked; touch '{marker}'"]);

        Assert.True(result.ExitCode == 198, result.ToString());
        Assert.Equal("secret\n", File.ReadAllText(victim));
        Assert.False(File.Exists(marker), "the command ran although its log could not be opened safely");
        Assert.Contains("symbolic link", result.Stderr, StringComparison.Ordinal);
        Assert.Single(result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public async Task AppendingToTheUsersOwnExistingLogStillWorks()
    {
        var log = Path.Combine(_directory, "out.log");
        File.WriteAllText(log, "before\n");

        var result = await WorkerRun.RunAsync(["run", "--stdout", log, "--", "echo", "after"]);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("before\nafter\n", File.ReadAllText(log));
    }

    [RootFact]
    public async Task ALogFileOfAnotherUserIsNotAppendedTo()
    {
        var log = Path.Combine(_directory, "out.log");
        File.WriteAllText(log, "theirs\n");
        File.SetUnixFileMode(log, (UnixFileMode)0x1B6);
        Chown.ToNobody(log);

        var result = await WorkerRun.RunAsync(["run", "--stdout", log, "--", "echo", "mine"]);

        Assert.True(result.ExitCode == 198, result.ToString());
        Assert.Equal("theirs\n", File.ReadAllText(log));
        Assert.Contains("belongs to another user", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AReportInADirectoryAnyoneCanWriteWithoutTheStickyBitIsRefusedBeforeRunning()
    {
        var open = Path.Combine(_directory, "open");
        Directory.CreateDirectory(open);
        File.SetUnixFileMode(open, (UnixFileMode)0x1FF);
        var marker = Path.Combine(_directory, "ran");

        var result = await WorkerRun.RunAsync(["run", "--report", Path.Combine(open, "r.json"), "--", "touch", marker]);

        Assert.True(result.ExitCode == 198, result.ToString());
        Assert.False(File.Exists(marker));
        Assert.Contains("writable by everyone and has no sticky bit", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AReportPathThatIsADirectoryIsRefusedBeforeTheCommandRuns()
    {
        var marker = Path.Combine(_directory, "ran");

        var result = await WorkerRun.RunAsync(["run", "--report", _directory, "--", "sh", "-c", $"touch '{marker}'; exit 3"]);

        Assert.True(result.ExitCode == 198, result.ToString());
        Assert.False(File.Exists(marker), "the command ran before the report path was found unusable");
        Assert.Contains("is a directory", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain(".probe", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AServerModeLogFileThatIsASymlinkIsNotWrittenThrough()
    {
        await using var scenario = await ServerScenario.StartAsync();
        var victim = Victim();
        var id = await scenario.CreateAsync("echo leaked", name: "planted");
        File.CreateSymbolicLink(scenario.LogFile("planted", 'o'), victim);

        var result = await scenario.RunJobAsync(id);

        Assert.True(result.ExitCode == 198, result.ToString());
        Assert.Equal("secret\n", File.ReadAllText(victim));
        Assert.Equal("E", await scenario.Harness.StatusOfAsync(id));
    }

    [Theory]
    [InlineData("../../escaped")]
    [InlineData("sub/../../escaped")]
    [InlineData("/tmp/escaped-absolute")]
    public async Task TaskNamesNeverLeadOutOfStdoutDir(string name)
    {
        await using var scenario = await ServerScenario.StartAsync();
        var logs = Path.Combine(scenario.LogDirectory, "a", "b");
        var id = await scenario.CreateAsync("echo out; echo err >&2", name: name, logDirectory: logs);

        var result = await scenario.RunJobAsync(id);

        Assert.True(result.ExitCode == 0, result.ToString());
        var expected = name.Replace('/', '_');
        Assert.Equal("out\n", File.ReadAllText(Path.Combine(logs, $"{expected}.o{ServerScenario.DistributorId}")));
        Assert.Equal("err\n", File.ReadAllText(Path.Combine(logs, $"{expected}.e{ServerScenario.DistributorId}")));
        Assert.Equal(2, Directory.GetFiles(scenario.LogDirectory, "*", SearchOption.AllDirectories).Length);
        Assert.False(File.Exists($"/tmp/escaped-absolute.o{ServerScenario.DistributorId}"));
    }

    [Fact]
    public async Task MissingLogAndSpoolDirectoriesAreCreatedOwnerOnlyEvenUnderUmask000()
    {
        await using var scenario = await ServerScenario.StartAsync();
        var spool = Path.Combine(scenario.LogDirectory, "state", "deeper", "spool");
        var logs = Path.Combine(scenario.LogDirectory, "new", "parent", "logs");
        var id = await scenario.CreateAsync("echo out", name: "private", logDirectory: logs);
        await scenario.Harness.ArmFaultAsync(new { route = "log_done", mode = "status", count = 100, status_code = 503 });

        var result = await WorkerRun.RunAsync(
            ["-c", "umask 000 && exec \"$0\" \"$@\"", WorkerBinary.Path, .. scenario.Job(id, "--retries-timeout", "1", "--spool-dir", spool)],
            ServerScenario.SlurmJob,
            program: "/bin/sh");

        Assert.True(result.ExitCode == 199, result.ToString());
        string[] created =
        [
            Path.Combine(scenario.LogDirectory, "state"), Path.Combine(scenario.LogDirectory, "state", "deeper"), spool,
            Path.Combine(scenario.LogDirectory, "new"), Path.Combine(scenario.LogDirectory, "new", "parent"), logs,
        ];
        Assert.All(created, directory => Assert.True(
            File.GetUnixFileMode(directory) == (UnixFileMode)0x1C0,
            $"{directory} is {Convert.ToString((int)File.GetUnixFileMode(directory), 8)}, not 700"));
    }

    private string Victim()
    {
        var victim = Path.Combine(_directory, "victim");
        File.WriteAllText(victim, "secret\n");
        return victim;
    }
}
