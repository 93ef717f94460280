using System.Text.Json;
using WorkerNode.IntegrationTests.Infrastructure;

namespace WorkerNode.IntegrationTests.Standalone;

/// <summary>worker-node run: pass-through, exit statuses, the JSON report, files, stdin, usage errors.</summary>
public sealed class StandaloneRunTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("wn-run-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task PassesOutputThroughAndExitsWithTheCommandsStatus()
    {
        var result = await WorkerRun.RunAsync(["run", "--", "sh", "-c", "echo out; echo err >&2; exit 3"]);

        Assert.Equal(3, result.ExitCode);
        Assert.Equal("out\n", result.Stdout);
        Assert.Contains("err\n", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WritesNothingOfItsOwnToStdout()
    {
        var result = await WorkerRun.RunAsync(["run", "--", "true"]);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(string.Empty, result.Stdout);
    }

    [Fact]
    public async Task TheCommandInheritsTheWorkersEnvironment()
    {
        var result = await WorkerRun.RunAsync(
            ["run", "--", "sh", "-c", "printf '%s|%s\\n' \"$WN_TEST_VALUE\" \"${WN_TEST_EMPTY-unset}\""],
            new Dictionary<string, string?> { ["WN_TEST_VALUE"] = "a=b c", ["WN_TEST_EMPTY"] = string.Empty });

        Assert.Equal("a=b c|\n", result.Stdout);
    }

    [Fact]
    public async Task RunsArgvWithoutAShell()
    {
        var result = await WorkerRun.RunAsync(["run", "--", "printf", "%s|", "a b", "$HOME", "*"]);

        Assert.Equal("a b|$HOME|*|\n", result.Stdout);
    }

    [Fact]
    public async Task ExitsWith128PlusTheSignalThatKilledTheCommandAndReportsIt()
    {
        var report = Path.Combine(_directory, "report.json");

        var result = await WorkerRun.RunAsync(["run", "--report", report, "--", "sh", "-c", "kill -KILL $$"]);

        Assert.Equal(137, result.ExitCode);
        using var json = JsonDocument.Parse(File.ReadAllText(report));
        Assert.Equal(JsonValueKind.Null, json.RootElement.GetProperty("exit_code").ValueKind);
        Assert.Equal("SIGKILL", json.RootElement.GetProperty("signal").GetString());
    }

    [Fact]
    public async Task WritesTheJsonReport()
    {
        var report = Path.Combine(_directory, "report.json");

        var result = await WorkerRun.RunAsync(["run", "--report", report, "--", "sh", "-c", "echo hi; echo bad >&2; exit 4"]);

        Assert.Equal(4, result.ExitCode);
        using var json = JsonDocument.Parse(File.ReadAllText(report));
        var root = json.RootElement;
        Assert.Equal(["sh", "-c", "echo hi; echo bad >&2; exit 4"], root.GetProperty("command").EnumerateArray().Select(item => item.GetString()));
        Assert.Equal(4, root.GetProperty("exit_code").GetInt32());
        Assert.Equal(JsonValueKind.Null, root.GetProperty("signal").ValueKind);
        var started = root.GetProperty("started_at").GetDateTimeOffset();
        var ended = root.GetProperty("ended_at").GetDateTimeOffset();
        Assert.Equal(TimeSpan.Zero, started.Offset);
        Assert.True(ended >= started);
        Assert.InRange(root.GetProperty("wallclock_s").GetDouble(), 0, 30);
        Assert.Equal("hi\n", root.GetProperty("stdout_tail").GetString());
        Assert.Equal("bad\n", root.GetProperty("stderr_tail").GetString());
    }

    [Fact]
    public async Task ACommandThatDoesNotExistExits127WithAClearLine()
    {
        var report = Path.Combine(_directory, "report.json");

        var result = await WorkerRun.RunAsync(["run", "--report", report, "--", "no-such-command-xyz", "arg"]);

        Assert.Equal(127, result.ExitCode);
        Assert.Contains("no-such-command-xyz: command not found", result.Stderr, StringComparison.Ordinal);
        using var json = JsonDocument.Parse(File.ReadAllText(report));
        Assert.Equal(127, json.RootElement.GetProperty("exit_code").GetInt32());
    }

    [Fact]
    public async Task SendsStreamsToFilesWhenAsked()
    {
        var stdout = Path.Combine(_directory, "sub", "out.log");
        var stderr = Path.Combine(_directory, "err.log");
        File.WriteAllText(stderr, "earlier\n");

        var result = await WorkerRun.RunAsync(["run", "--stdout", stdout, "--stderr", stderr, "--", "sh", "-c", "echo to-out; echo to-err >&2"]);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(string.Empty, result.Stdout);
        Assert.Equal("to-out\n", File.ReadAllText(stdout));
        Assert.Equal("earlier\nto-err\n", File.ReadAllText(stderr));
        Assert.Equal(UnixFileMode.None, File.GetUnixFileMode(stdout) & (UnixFileMode.GroupWrite | UnixFileMode.OtherWrite));
    }

    [Fact]
    public async Task LogFilesAreAppendedToWithoutOverwritingOtherWriters()
    {
        // Both streams into one file, and another writer appending meanwhile: every line must survive.
        var log = Path.Combine(_directory, "shared.log");
        File.WriteAllText(log, "before\n");

        var result = await WorkerRun.RunAsync(["run", "--stdout", log, "--stderr", log, "--", "sh", "-c",
            $"echo out1; echo err1 >&2; echo other >> {log}; echo out2; echo err2 >&2"]);

        Assert.Equal(0, result.ExitCode);
        var lines = File.ReadAllLines(log);
        Assert.Equal("before", lines[0]);
        Assert.Equal(["before", "err1", "err2", "other", "out1", "out2"], lines.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task PassesStdinThrough()
    {
        var result = await WorkerRun.RunAsync(["run", "--", "tr", "a-z", "A-Z"], standardInput: "hello\n");

        Assert.Equal("HELLO\n", result.Stdout);
    }

    [Fact]
    public async Task AnUnwritableReportFileStopsBeforeTheCommandRuns()
    {
        var marker = Path.Combine(_directory, "ran");

        var result = await WorkerRun.RunAsync(["run", "--report", "/proc/no/such/dir/report.json", "--", "touch", marker]);

        Assert.Equal(198, result.ExitCode);
        Assert.Contains("cannot write the report file", result.Stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(marker));
    }

    [Theory]
    [InlineData("run", "--bogus", "--", "true")]
    [InlineData("run")]
    [InlineData("no_such_command")]
    [InlineData("worker_node_job", "--task_instance_id", "abc", "--cluster_name", "x", "--expected_jobmon_version", "3.0.0")]
    public async Task UsageErrorsExit2WithOneLine(params string[] arguments)
    {
        var result = await WorkerRun.RunAsync(arguments);

        Assert.Equal(2, result.ExitCode);
        var lines = result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Single(lines);
        Assert.StartsWith("worker-node: ", lines[0], StringComparison.Ordinal);
    }
}
