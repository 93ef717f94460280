using System.Text.Json;
using WorkerNode.IntegrationTests.Server;

namespace WorkerNode.IntegrationTests.Faults;

/// <summary>
/// PROTOCOL.md §7: once no heartbeat has been accepted for longer than next_report_increment the
/// server's reaper may have started another attempt, so the command is stopped (unless
/// worker_node.on_lost_server is continue) rather than run twice at once.
/// </summary>
public sealed class LostServerTests
{
    [Fact]
    public async Task ALostServerStopsTheCommandAndItsReportIsSpooledAndFlushedLater()
    {
        await using var scenario = await ServerScenario.StartAsync();
        var marker = Path.Combine(scenario.LogDirectory, "finished");
        var id = await scenario.CreateAsync($"sleep 30; touch {marker}");

        var (result, _) = await Drill.RunThroughOutageAsync(scenario, id, 12, "--report-by-buffer", "2", "--retries-timeout", "2", "--command-interrupt-timeout", "2");

        Assert.True(result.ExitCode == 199, result.ToString());
        Assert.True(result.Elapsed < TimeSpan.FromSeconds(15), $"the command was not stopped: {result}");
        Assert.False(File.Exists(marker));
        var why = Assert.Single(Drill.Lines(result, "ERROR", "lost contact with the server"));
        Assert.Contains("the whole next_report_increment (2 s)", why, StringComparison.Ordinal);
        Assert.Single(Drill.Lines(result, "INFO", "stopping the command"));
        var file = Assert.Single(Drill.PendingIn(Drill.SpoolOf(scenario)));
        using (var spooled = JsonDocument.Parse(File.ReadAllText(file)))
        {
            var report = spooled.RootElement.GetProperty("report");
            Assert.Equal("log_error_worker_node", report.GetProperty("route").GetString());
            Assert.Equal("E", report.GetProperty("target_status").GetString());
        }

        await Drill.WaitUntilUpAsync(scenario.Harness);
        var flush = await Drill.FlushAsync(Drill.SpoolOf(scenario));

        Assert.True(flush.ExitCode == 0, flush.ToString());
        var instance = await scenario.InstanceAsync(id);
        Assert.Equal("E", instance.GetProperty("status").GetString());
        var error = Assert.Single(instance.GetProperty("error_log").EnumerateArray());
        Assert.Contains("lost contact with the server", error.GetProperty("description").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ALostServerIsActedOnWhenNextReportIncrementRunsOutNotAtTheFollowingHeartbeat()
    {
        await using var scenario = await ServerScenario.StartAsync();
        var id = await scenario.CreateAsync("sleep 30");

        // Heartbeats at 4 s and 8 s; the server's reaper acts at 4 × 1.5 = 6 s after log_running.
        var (result, _) = await Drill.RunThroughOutageAsync(scenario, id, 20, "--heartbeat-interval", "4", "--report-by-buffer", "1.5", "--retries-timeout", "1", "--command-interrupt-timeout", "1");

        Assert.True(result.ExitCode == 199, result.ToString());
        var why = Assert.Single(Drill.Lines(result, "ERROR", "lost contact with the server"));
        Assert.Contains("no heartbeat accepted for 6 s and the server unreachable for the whole next_report_increment (6 s)", why, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WithOnLostServerContinueTheCommandFinishesAndIsReported()
    {
        await using var scenario = await ServerScenario.StartAsync();
        var id = await scenario.CreateAsync(Drill.CountTo(8), name: "stubborn");

        var (result, _) = await Drill.RunThroughOutageAsync(scenario, id, 5, "--report-by-buffer", "2", "--retries-timeout", "30", "--on-lost-server", "continue");
        await Drill.WaitUntilUpAsync(scenario.Harness);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("D", await scenario.Harness.StatusOfAsync(id));
        Assert.Equal(Drill.CountedTo(8), File.ReadAllText(scenario.LogFile("stubborn", 'o')));
        Assert.Single(Drill.Lines(result, "WARN", "continuing as worker_node.on_lost_server says"));
        Assert.Empty(Drill.Lines(result, "INFO", "stopping the command"));
    }
}
