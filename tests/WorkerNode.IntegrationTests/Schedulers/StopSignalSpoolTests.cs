using System.Text.Json;
using WorkerNode.IntegrationTests.Faults;
using WorkerNode.IntegrationTests.Harness;
using WorkerNode.IntegrationTests.Infrastructure;
using WorkerNode.IntegrationTests.Server;

namespace WorkerNode.IntegrationTests.Schedulers;

/// <summary>
/// The outcome is durable from the moment the stop signal arrives, SIGTERM (Slurm) and SIGUSR2 (Grid Engine with
/// -notify) alike: a SIGKILL right after it, while the command still runs out its grace, leaves a report in the
/// spool that `spool flush` delivers.
/// </summary>
public sealed class StopSignalSpoolTests
{
    private const int Usr2 = 12;

    public static TheoryData<string, int, string> Stops => new()
    {
        { "SIGTERM under Slurm", UnixSignals.Term, "stopped from outside by SIGTERM" },
        { "SIGUSR2 under Grid Engine (-notify)", Usr2, "Grid Engine announced its kill with SIGUSR2" },
    };

    [Theory]
    [MemberData(nameof(Stops))]
    public async Task A_SIGKILL_right_after_the_stop_signal_leaves_the_outcome_in_the_spool(string scheduler, int signal, string said)
    {
        await using var scenario = await ServerScenario.StartAsync();
        var spool = Drill.SpoolOf(scenario);
        // The command ignores the polite signal: the worker is still in its 60 s grace when the SIGKILL comes.
        var started = Path.Combine(scenario.LogDirectory, "started");
        var id = await scenario.CreateAsync($"trap '' TERM USR2; touch {started}; sleep 120");
        var environment = signal == Usr2
            ? new Dictionary<string, string?> { ["JOB_ID"] = "31", ["SGE_TASK_ID"] = "undefined" }
            : new Dictionary<string, string?>(ServerScenario.SlurmJob);
        await using var run = WorkerRun.Start(scenario.Job(id, "--command-interrupt-timeout", "60", "--spool-dir", spool), environment);
        // The command runs (a stop before it starts is reported at once, without it).
        await Eventually.HoldsAsync(() => Task.FromResult(File.Exists(started)), "the command runs");

        run.Signal(signal);
        // Renamed into place, not the AtomicFile temporary (".NAME.RANDOM.tmp") that a SIGKILL would rightly leave as nothing.
        try
        {
            await Eventually.HoldsAsync(
                () => Task.FromResult(Drill.AllIn(spool) is [var only] && only.Contains(".json.claimed-", StringComparison.Ordinal) && !only.EndsWith(".tmp", StringComparison.Ordinal)),
                $"{scheduler}: the report is in the spool");
        }
        catch (Xunit.Sdk.FailException failure)
        {
            Assert.Fail($"{failure.Message}; spool: {string.Join(", ", Drill.AllIn(spool))}\n{run.Stderr}");
        }
        run.Signal(UnixSignals.Kill);
        var killed = await run.WaitAsync();

        Assert.Equal(128 + UnixSignals.Kill, killed.ExitCode);
        var claim = Assert.Single(Drill.AllIn(spool));
        Assert.Equal("R", await scenario.Harness.StatusOfAsync(id));
        using (var spooled = JsonDocument.Parse(File.ReadAllText(claim)))
        {
            Assert.Equal("log_error_worker_node", spooled.RootElement.GetProperty("report").GetProperty("route").GetString());
        }

        // The claim of a worker that died is taken over once it is stale (SpoolDirectory.StaleClaimAge).
        File.SetLastWriteTimeUtc(claim, DateTime.UtcNow.AddHours(-1));
        var flush = await Drill.FlushAsync(spool);

        Assert.True(flush.ExitCode == 0, flush.ToString());
        var instance = await scenario.InstanceAsync(id);
        Assert.True(instance.GetProperty("status").GetString() == "E", $"{instance}; {killed}; {flush}");
        var description = instance.GetProperty("error_log").EnumerateArray().Last().GetProperty("description").GetString();
        Assert.Contains(said, description, StringComparison.Ordinal);
        Assert.Contains("the worker was killed before the command had ended", description, StringComparison.Ordinal);
        Assert.Empty(Drill.AllIn(spool));
    }
}
