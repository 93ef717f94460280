using System.Text.Json;
using WorkerNode.IntegrationTests.Harness;
using WorkerNode.IntegrationTests.Infrastructure;
using WorkerNode.IntegrationTests.Server;

namespace WorkerNode.IntegrationTests.Faults;

/// <summary>
/// A scheduler that stops a job (SIGTERM) sends SIGKILL soon after (Slurm's KillWait, 30 s by
/// default): a worker stopped from outside must not spend that time waiting for a slow server,
/// and its report must survive the SIGKILL.
/// </summary>
public sealed class StoppedFromOutsideTests
{
    [Fact]
    public async Task AStopSignalWhileLogRunningIsRetriedEndsTheWorkerSoonWithoutTheCommand()
    {
        await using var scenario = await ServerScenario.StartAsync();
        var marker = Path.Combine(scenario.LogDirectory, "ran");
        var id = await scenario.CreateAsync($"touch {marker}");
        await scenario.Harness.ArmFaultAsync(new { route = "log_running", mode = "status", status_code = 503, count = 1000 });
        await using var run = WorkerRun.Start(scenario.Job(id, "--retries-timeout", "120", "--log-level", "debug"), ServerScenario.SlurmJob);
        await run.WaitForStdoutAsync("Jobmon request failed, retrying");

        run.Signal(UnixSignals.Term);
        var result = await run.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.True(result.ExitCode == 128 + UnixSignals.Term, result.ToString());
        var why = Assert.Single(Drill.Lines(result, "ERROR", "stopped from outside by SIGTERM"));
        Assert.Contains("before the server answered", why, StringComparison.Ordinal);
        Assert.False(File.Exists(marker));
        Assert.NotEqual("R", await scenario.Harness.StatusOfAsync(id));
    }

    [Fact]
    public async Task AfterAStopSignalTheReportGetsAShortTryAndThenWaitsInTheSpool()
    {
        await using var scenario = await ServerScenario.StartAsync();
        var spool = Drill.SpoolOf(scenario);
        var id = await scenario.CreateAsync("sleep 60");
        await scenario.Harness.ArmFaultAsync(new { route = "log_error_worker_node", mode = "status", status_code = 503, count = 1000 });
        await using var run = WorkerRun.Start(scenario.Job(id, "--retries-timeout", "300", "--command-interrupt-timeout", "1", "--spool-dir", spool), ServerScenario.SlurmJob);
        await scenario.WaitForStatusAsync(id, "R");

        run.Signal(UnixSignals.Term);
        var result = await run.WaitAsync(TimeSpan.FromSeconds(60));

        Assert.True(result.ExitCode == 199, result.ToString());
        var file = Assert.Single(Drill.AllIn(spool));
        Assert.EndsWith(".json", file, StringComparison.Ordinal);
        var error = Assert.Single(Drill.Lines(result, "ERROR", "cannot report the outcome"));
        Assert.Contains("no answer within 10 s", error, StringComparison.Ordinal);
        Assert.Contains($"kept in the spool as {file}", error, StringComparison.Ordinal);
        using var spooled = JsonDocument.Parse(File.ReadAllText(file));
        Assert.Equal("log_error_worker_node", spooled.RootElement.GetProperty("report").GetProperty("route").GetString());
    }

    [Fact]
    public async Task AReportBeingSentWhenTheWorkerIsKilledIsAlreadyInTheSpool()
    {
        await using var scenario = await ServerScenario.StartAsync();
        var spool = Drill.SpoolOf(scenario);
        var id = await scenario.CreateAsync("sleep 60");
        await scenario.Harness.ArmFaultAsync(new { route = "log_error_worker_node", mode = "delay", seconds = 60, count = 1 });
        await using var run = WorkerRun.Start(scenario.Job(id, "--command-interrupt-timeout", "1", "--spool-dir", spool), ServerScenario.SlurmJob);
        await scenario.WaitForStatusAsync(id, "R");

        run.Signal(UnixSignals.Term);
        // Until its rename, the report is an AtomicFile temporary (".NAME.RANDOM.tmp"), not yet in the spool: a
        // SIGKILL then would rightly leave nothing durable, so wait for the renamed claim.
        await Eventually.HoldsAsync(() => Task.FromResult(Drill.AllIn(spool) is [var only] && !only.EndsWith(".tmp", StringComparison.Ordinal)), "the report is written to the spool before it is sent");
        run.Signal(UnixSignals.Kill);
        var killed = await run.WaitAsync();

        Assert.Equal(128 + UnixSignals.Kill, killed.ExitCode);
        var claim = Assert.Single(Drill.AllIn(spool));
        Assert.Contains(".json.claimed-", claim, StringComparison.Ordinal);
        Assert.Equal("R", await scenario.Harness.StatusOfAsync(id));

        // The claim of a worker that died is taken over once it is stale (SpoolDirectory.StaleClaimAge).
        File.SetLastWriteTimeUtc(claim, DateTime.UtcNow.AddHours(-1));
        var before = string.Join(", ", Directory.GetFiles(spool).Select(f => $"{Path.GetFileName(f)}@{File.GetLastWriteTimeUtc(f):HH:mm:ss.fff}"));
        var flush = await Drill.FlushAsync(spool);

        Assert.True(flush.ExitCode == 0, flush.ToString());
        var status = await scenario.Harness.StatusOfAsync(id);
        Assert.True(status == "E", $"status {status}; before: {before}; killed: {killed}; {flush}");
        Assert.Empty(Drill.AllIn(spool));
    }
}
