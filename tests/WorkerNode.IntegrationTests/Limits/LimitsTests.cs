using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using WorkerNode.IntegrationTests.Infrastructure;
using WorkerNode.IntegrationTests.Server;

namespace WorkerNode.IntegrationTests.Limits;

/// <summary>Memory and time limits, explicit or derived from the scheduler, in both modes (docs/limits-and-usage.md).</summary>
public sealed partial class LimitsTests : IDisposable
{
    /// <summary>Grows by hundreds of MiB a second: tail keeps a line that never ends.</summary>
    private const string MemoryHog = "cat /dev/zero | tail";

    private readonly string _directory = Directory.CreateTempSubdirectory("wn-limits-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task AMemoryHogUnderALimitIsReportedZWithWhatItUsedAndEnds137()
    {
        await using var scenario = await ServerScenario.StartAsync();
        // Deaf to SIGTERM, so the stop runs its whole course: the polite signal, the grace, SIGKILL.
        var id = await scenario.CreateAsync($"trap '' TERM; {MemoryHog}");

        var result = await scenario.RunJobAsync(id, "--memory-limit", "200M", "--command-interrupt-timeout", "1");

        Assert.True(result.ExitCode == 137, result.ToString());
        var error = Assert.Single((await scenario.InstanceAsync(id)).GetProperty("error_log").EnumerateArray());
        Assert.Equal("Z", error.GetProperty("error_state").GetString());
        var description = error.GetProperty("description").GetString()!;
        Assert.Matches(MemoryDescription(), description);
        Assert.Contains("the command was stopped (killed by SIGKILL (status 137))", description, StringComparison.Ordinal);
        Assert.Equal("Z", await scenario.Harness.StatusOfAsync(id));
        var body = Assert.Single(await scenario.BodiesAsync(id, "log_error_worker_node"));
        // What it used: past the limit, or (stopped ahead of the growth the watchdog saw, issue 13) within one
        // sample interval's growth of it, which for this hog is never less than half the limit.
        Assert.True(long.Parse(body.GetProperty("maxrss").GetString()!, CultureInfo.InvariantCulture) > 100L << 20, body.ToString());
    }

    [Fact]
    public async Task FourChildrenEachUnderTheLimitButOverItTogetherAreStopped()
    {
        var report = Path.Combine(_directory, "report.json");
        // Each tail holds 80 MiB until its writer's sleep ends: 320 MiB together, under 200 MiB apiece.
        const string children = "for i in 1 2 3 4; do (head -c 80M /dev/zero; sleep 60) | tail & done; wait";

        var result = await WorkerRun.RunAsync(["run", "--memory-limit", "200M", "--command-interrupt-timeout", "2", "--report", report, "--", "sh", "-c", children]);

        Assert.True(result.ExitCode == 143, result.ToString());
        var root = JsonFile.Read(report);
        Assert.Equal("memory_limit", root.GetProperty("stopped_by").GetString());
        Assert.Equal("memory", root.GetProperty("limit_exceeded").GetString());
        Assert.InRange(root.GetProperty("max_processes").GetInt32(), 9, 20);
        Assert.InRange(root.GetProperty("wallclock_s").GetDouble(), 0, 30);
        var warning = Assert.Single(result.Stderr.Split('\n'), line => line.Contains("memory limit exceeded", StringComparison.Ordinal));
        Assert.Matches(MemoryDescription(), warning);
    }

    [Fact]
    public async Task SleepUnderATwoSecondLimitEndsAtTwoSeconds()
    {
        var report = Path.Combine(_directory, "report.json");

        var result = await WorkerRun.RunAsync(["run", "--time-limit", "2s", "--report", report, "--", "sleep", "10"]);

        Assert.True(result.ExitCode == 143, result.ToString());
        var root = JsonFile.Read(report);
        Assert.InRange(root.GetProperty("wallclock_s").GetDouble(), 1.7, 2.3);
        Assert.Equal("time_limit", root.GetProperty("stopped_by").GetString());
        Assert.Equal("time", root.GetProperty("limit_exceeded").GetString());
        Assert.Contains("description=\"time limit 00:00:02 reached\"", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ATimeLimitInServerModeIsReportedZ()
    {
        await using var scenario = await ServerScenario.StartAsync();
        var id = await scenario.CreateAsync("sleep 10");

        var result = await scenario.RunJobAsync(id, "--time-limit", "1500ms");

        Assert.True(result.ExitCode == 143, result.ToString());
        var error = Assert.Single((await scenario.InstanceAsync(id)).GetProperty("error_log").EnumerateArray());
        Assert.Equal("Z", error.GetProperty("error_state").GetString());
        Assert.StartsWith("Time limit 00:00:01.500 reached; the command was stopped (killed by SIGTERM (status 143))", error.GetProperty("description").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ACommandWithinItsLimitsIsNotDisturbed()
    {
        var report = Path.Combine(_directory, "report.json");

        var result = await WorkerRun.RunAsync(["run", "--time-limit", "30s", "--memory-limit", "1G", "--sample-interval", "100ms", "--report", report, "--", "sh", "-c", "sleep 1; echo done"]);

        Assert.True(result.ExitCode == 0, result.ToString());
        var root = JsonFile.Read(report);
        Assert.Equal(JsonValueKind.Null, root.GetProperty("limit_exceeded").ValueKind);
        Assert.Equal(JsonValueKind.Null, root.GetProperty("stopped_by").ValueKind);
        Assert.Contains("INFO enforcing limits time_limit=00:00:30", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ServerModeDerivesTheMemoryLimitFromSlurmWithItsMargin()
    {
        await using var scenario = await ServerScenario.StartAsync();
        var id = await scenario.CreateAsync(MemoryHog);
        var slurm = new Dictionary<string, string?> { ["SLURM_JOB_ID"] = ServerScenario.DistributorId, ["SLURM_MEM_PER_NODE"] = "210" };

        var result = await WorkerRun.RunAsync(scenario.Job(id), slurm);

        Assert.True(result.ExitCode == 143, result.ToString());
        Assert.Contains("memory_limit=\"199.50 MiB\" memory_limit_from=\"SLURM_MEM_PER_NODE=210 (210.00 MiB) minus 5% margin\"", result.Stdout, StringComparison.Ordinal);
        var error = Assert.Single((await scenario.InstanceAsync(id)).GetProperty("error_log").EnumerateArray());
        Assert.Equal("Z", error.GetProperty("error_state").GetString());
        var description = error.GetProperty("description").GetString()!;
        Assert.StartsWith("Memory limit 199.50 MiB exceeded: tree RSS ", description, StringComparison.Ordinal);
        // A stop ahead of the growth rate adds "(not yet exceeded: growing …)" after where the limit came from.
        Assert.Contains("; the limit comes from SLURM_MEM_PER_NODE=210 (210.00 MiB) minus 5% margin", description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ServerModeStopsBeforeSlurmsEndTimeLessTheMargin()
    {
        await using var scenario = await ServerScenario.StartAsync();
        var id = await scenario.CreateAsync("sleep 30");
        var slurm = new Dictionary<string, string?> { ["SLURM_JOB_ID"] = ServerScenario.DistributorId, ["SLURM_JOB_END_TIME"] = UnixTimeIn(TimeSpan.FromSeconds(63)) };

        var result = await WorkerRun.RunAsync(scenario.Job(id, "--time-margin", "60s"), slurm);

        Assert.True(result.ExitCode == 143, result.ToString());
        Assert.InRange(result.Elapsed, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(15));
        var error = Assert.Single((await scenario.InstanceAsync(id)).GetProperty("error_log").EnumerateArray());
        Assert.Equal("Z", error.GetProperty("error_state").GetString());
        Assert.Matches(@"^Time limit 00:00:0\d reached \(the allocation ends: SLURM_JOB_END_TIME=\d+ \(.+\) minus 00:01:00 margin\); the command was stopped", error.GetProperty("description").GetString());
    }

    [Fact]
    public async Task StandaloneModeDerivesNothingFromSlurmUnlessAsked()
    {
        var slurm = new Dictionary<string, string?> { ["SLURM_JOB_ID"] = "77", ["SLURM_JOB_END_TIME"] = UnixTimeIn(TimeSpan.FromSeconds(62)) };

        var untouched = await WorkerRun.RunAsync(["run", "--time-margin", "60s", "--", "sleep", "3"], slurm);
        var limited = await WorkerRun.RunAsync(["run", "--limits-from-scheduler", "--time-margin", "60s", "--", "sleep", "30"], slurm);

        Assert.True(untouched.ExitCode == 0, untouched.ToString());
        Assert.DoesNotContain("enforcing limits", untouched.Stderr, StringComparison.Ordinal);
        Assert.True(limited.ExitCode == 143, limited.ToString());
        Assert.Contains("time_limit_from=\"SLURM_JOB_END_TIME=", limited.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--memory-limit", "0", "'0' must be greater than 0")]
    [InlineData("--time-limit", "-3s", "'-3s' must be greater than 0")]
    [InlineData("--memory-limit", "12X", "'12X' is not a size")]
    [InlineData("--time-limit", "12X", "'12X' is not a duration")]
    [InlineData("--sample-interval", "0", "'0' must be greater than 0")]
    public async Task ABadLimitIsAUsageErrorOfOneLine(string flag, string value, string reason)
    {
        var marker = Path.Combine(_directory, "ran");

        var result = await WorkerRun.RunAsync(["run", flag, value, "--", "touch", marker]);

        Assert.Equal(2, result.ExitCode);
        var line = Assert.Single(result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains(reason, line, StringComparison.Ordinal);
        Assert.Contains($"(from {flag})", line, StringComparison.Ordinal);
        Assert.False(File.Exists(marker));
    }

    [Fact]
    public async Task ABadLimitInAVariableIsAnEnvironmentErrorOfOneLine()
    {
        var result = await WorkerRun.RunAsync(["run", "--", "true"], new Dictionary<string, string?> { ["JOBMON__WORKER_NODE__MEMORY_LIMIT"] = "12X" });

        Assert.Equal(198, result.ExitCode);
        var line = Assert.Single(result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("JOBMON__WORKER_NODE__MEMORY_LIMIT", line, StringComparison.Ordinal);
    }

    /// <summary>"memory limit 200.00 MiB exceeded: tree RSS 403.46 MiB at 00:00:01 (3 processes)", either case.</summary>
    [GeneratedRegex(@"[Mm]emory limit 200\.00 MiB exceeded: tree RSS \d+\.\d\d (MiB|GiB) at 00:00:\d\d \(\d+ process(es)?\)")]
    private static partial Regex MemoryDescription();

    private static string UnixTimeIn(TimeSpan span) => (DateTimeOffset.UtcNow + span).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
}
