using System.Text.Json;
using WorkerNode.IntegrationTests.Infrastructure;
using WorkerNode.IntegrationTests.Server;

namespace WorkerNode.IntegrationTests.Faults;

/// <summary>
/// Answers that come too late, never, cut off or in the wrong shape, to heartbeats and to the final
/// report: each failed heartbeat is one warning with its reason and nothing else happens to the
/// command; the final report is retried until it lands.
/// </summary>
public sealed class SpoiledAnswerTests
{
    [Theory]
    [InlineData("delay")]
    [InlineData("reset")]
    [InlineData("malformed")]
    [InlineData("wrong_shape")]
    public async Task SpoiledHeartbeatsAreWarnedAboutAndASpoiledReportIsRetried(string mode)
    {
        await using var scenario = await ServerScenario.StartAsync();
        var id = await scenario.CreateAsync("for i in 1 2 3 4; do echo $i; sleep 1; done", name: "steady");
        // A delay past the per-attempt timeout (1 s): the worker gives up on the attempt, and the harness drops it.
        await scenario.Harness.ArmFaultAsync(new { route = "log_report_by", mode, count = 2, seconds = 3 });
        await scenario.Harness.ArmFaultAsync(new { route = "log_done", mode, count = 2, seconds = 3 });

        var result = await WorkerRun.RunAsync(
            scenario.Job(id, "--request-timeout", "1", "--retries-timeout", "30", "--report-by-buffer", "10", "--spool-dir", Drill.SpoolOf(scenario)),
            ServerScenario.SlurmJob);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("D", await scenario.Harness.StatusOfAsync(id));
        Assert.Equal("1\n2\n3\n4\n", File.ReadAllText(scenario.LogFile("steady", 'o')));

        var heartbeats = await Drill.RequestsAsync(scenario, id, "log_report_by");
        var spoiled = heartbeats.Where(request => request.GetProperty("fault").ValueKind != JsonValueKind.Null).ToArray();
        Assert.Equal(2, spoiled.Length);
        var warnings = Drill.Lines(result, "WARN", "heartbeat failed");
        Assert.Equal(spoiled.Length, warnings.Length);
        Assert.All(warnings, line => Assert.Contains(" error=", line, StringComparison.Ordinal));
        Assert.Empty(Drill.Lines(result, "INFO", "stopping the command"));

        var reports = await Drill.RequestsAsync(scenario, id, "log_done");
        Assert.Equal(3, reports.Length);
        Assert.Equal(1, Drill.Applied(reports));
        Assert.Empty(Drill.AllIn(Drill.SpoolOf(scenario)));
    }
}
