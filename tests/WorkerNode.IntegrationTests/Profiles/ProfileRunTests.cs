using System.Text.Json;
using WorkerNode.IntegrationTests.Infrastructure;
using WorkerNode.IntegrationTests.Server;

namespace WorkerNode.IntegrationTests.Profiles;

/// <summary>Profiles written by the real binary: run --metrics FILE, server mode's metrics_dir, and their bad inputs.</summary>
public sealed class ProfileRunTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("wn-profile-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task RunWritesAHeaderAndOneRowPerSample()
    {
        var file = Path.Combine(_directory, "task.jsonl");

        var result = await WorkerRun.RunAsync(["run", "--metrics", file, "--sample-interval", "0.2", "--memory-limit", "1G", "--", "sh", "-c", "sleep 1.2; exit 3"]);

        Assert.Equal(3, result.ExitCode);
        var lines = File.ReadAllLines(file);
        using var header = JsonDocument.Parse(lines[0]);
        var root = header.RootElement;
        Assert.Equal("worker-node-profile", root.GetProperty("format").GetString());
        Assert.Equal(1, root.GetProperty("version").GetInt32());
        Assert.Equal("run", root.GetProperty("mode").GetString());
        Assert.Equal("sh", root.GetProperty("task").GetString());
        Assert.Equal("error", root.GetProperty("status").GetString());
        Assert.Equal(3, root.GetProperty("exit_code").GetInt32());
        Assert.Equal(1L << 30, root.GetProperty("memory_limit_bytes").GetInt64());
        Assert.Equal(0.2, root.GetProperty("sample_interval_s").GetDouble());
        var rows = root.GetProperty("rows").GetInt32();
        Assert.Equal(lines.Length - 1, rows);
        Assert.Equal(root.GetProperty("samples").GetInt32(), rows);
        // About one row per 0.2 s of the 1.2 s: fewer when a loaded machine delays samples (beats are skipped, never doubled).
        var wall = root.GetProperty("wall_s").GetDouble();
        Assert.InRange(rows, 2, (int)(wall / 0.2) + 2);

        var previous = 0.0;
        foreach (var line in lines.Skip(1))
        {
            using var row = JsonDocument.Parse(line);
            var t = row.RootElement.GetProperty("t_s").GetDouble();
            Assert.True(t > previous, $"rows out of order: {t} after {previous}");
            previous = t;
            Assert.True(row.RootElement.GetProperty("rss_bytes").GetInt64() > 0, line);
            Assert.True(row.RootElement.GetProperty("processes").GetInt32() >= 1, line);
        }

        Assert.True(previous <= wall + 0.01, $"a row at {previous} s after the end at {wall} s");
    }

    [Fact]
    public async Task AMemoryLimitStopIsTheProfilesStatus()
    {
        var file = Path.Combine(_directory, "hog.jsonl");

        var result = await WorkerRun.RunAsync(["run", "--metrics", file, "--sample-interval", "0.1", "--memory-limit", "64M", "--", "tail", "/dev/zero"]);

        Assert.NotEqual(0, result.ExitCode);
        using var header = JsonDocument.Parse(File.ReadLines(file).First());
        Assert.Equal("memory_limit", header.RootElement.GetProperty("status").GetString());
        Assert.Equal("memory_limit", header.RootElement.GetProperty("stop_reason").GetString());
        Assert.Equal(64L << 20, header.RootElement.GetProperty("memory_limit_bytes").GetInt64());
        // The watchdog stops a fast-growing tree ahead of its growth rate, so the peak may stay under
        // the limit; it still got near it.
        Assert.True(header.RootElement.GetProperty("max_rss_bytes").GetInt64() > 32L << 20, header.RootElement.ToString());
    }

    [Fact]
    public async Task AMetricsPathThatIsADirectoryIsRefusedBeforeTheCommandRuns()
    {
        var marker = Path.Combine(_directory, "ran");

        var result = await WorkerRun.RunAsync(["run", "--metrics", _directory, "--", "touch", marker]);

        Assert.Equal(198, result.ExitCode);
        Assert.Contains($"cannot write the profile {_directory}: {_directory} is a directory", result.Stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(marker), "the command ran although its profile could not be written");
    }

    [Fact]
    public async Task AProfileReplacesASymlinkPlantedAtItsNameInsteadOfWritingThroughIt()
    {
        var victim = Path.Combine(_directory, "victim");
        File.WriteAllText(victim, "precious");
        var file = Path.Combine(_directory, "task.jsonl");
        File.CreateSymbolicLink(file, victim);

        var result = await WorkerRun.RunAsync(["run", "--metrics", file, "--", "true"]);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("precious", File.ReadAllText(victim));
        Assert.Null(new FileInfo(file).LinkTarget);
        Assert.StartsWith("{\"format\":\"worker-node-profile\"", File.ReadAllText(file), StringComparison.Ordinal);
        Assert.Equal(["task.jsonl", "victim"], Directory.GetFileSystemEntries(_directory).Select(Path.GetFileName).Order());
    }

    [Fact]
    public async Task ServerModeWritesTheProfileInTheMetricsDirectoryNamedLikeTheLogFiles()
    {
        await using var scenario = await ServerScenario.StartAsync();
        var id = await scenario.CreateAsync("sleep 0.6", name: "fit_model_3");
        var metrics = Path.Combine(_directory, "metrics", "run1");

        var result = await scenario.RunJobAsync(id, "--metrics-dir", metrics, "--sample-interval", "0.2");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("D", (await scenario.InstanceAsync(id)).GetProperty("status").GetString());
        var file = Path.Combine(metrics, $"fit_model_3.m{ServerScenario.DistributorId}.jsonl");
        Assert.True(File.Exists(file), result.ToString());
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(metrics));
        using var header = JsonDocument.Parse(File.ReadLines(file).First());
        var root = header.RootElement;
        Assert.Equal("server", root.GetProperty("mode").GetString());
        Assert.Equal(id, root.GetProperty("task_instance_id").GetInt64());
        Assert.Equal("slurm", root.GetProperty("scheduler").GetString());
        Assert.Equal(ServerScenario.DistributorId, root.GetProperty("distributor_id").GetString());
        Assert.Equal("sleep 0.6", root.GetProperty("command").GetString());
        Assert.Equal("done", root.GetProperty("status").GetString());

        // A second run of the same name and job id never overwrites the first one's profile.
        var again = await scenario.CreateAsync("true", name: "fit_model_3");
        Assert.Equal(0, (await scenario.RunJobAsync(again, "--metrics-dir", metrics)).ExitCode);
        Assert.True(File.Exists(Path.Combine(metrics, $"fit_model_3.m{ServerScenario.DistributorId}.1.jsonl")));
    }

    [Fact]
    public async Task ATaskNameCannotPlaceItsProfileOutsideTheMetricsDirectory()
    {
        await using var scenario = await ServerScenario.StartAsync();
        // No log files (an empty directory is /dev/null): only where the profile goes is under test.
        var id = await scenario.CreateAsync("true", name: "../../escaped", logDirectory: string.Empty);
        var metrics = Path.Combine(_directory, "a", "b");

        var result = await scenario.RunJobAsync(id, "--metrics-dir", metrics);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal([$"_.._.._escaped.m{ServerScenario.DistributorId}.jsonl"], Directory.GetFiles(metrics).Select(Path.GetFileName));
        Assert.Equal(["b"], Directory.GetFileSystemEntries(Path.Combine(_directory, "a")).Select(Path.GetFileName));
    }

    [Fact]
    public async Task AnUnusableMetricsDirectoryIsAWarningAndTheTaskStillRuns()
    {
        await using var scenario = await ServerScenario.StartAsync();
        var id = await scenario.CreateAsync("true");
        var notADirectory = Path.Combine(_directory, "file");
        File.WriteAllText(notADirectory, string.Empty);

        var result = await scenario.RunJobAsync(id, "--metrics-dir", notADirectory);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("D", (await scenario.InstanceAsync(id)).GetProperty("status").GetString());
        Assert.Contains("no resource profile is kept", result.Stdout, StringComparison.Ordinal);
    }
}
