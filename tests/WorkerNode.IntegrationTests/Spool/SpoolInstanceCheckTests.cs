using System.Text.Json;
using WorkerNode.Harness.Hosting;
using WorkerNode.IntegrationTests.Faults;
using WorkerNode.IntegrationTests.Infrastructure;
using WorkerNode.IntegrationTests.Server;

namespace WorkerNode.IntegrationTests.Spool;

/// <summary>
/// <c>spool flush</c> against the harness asks GET /task/get_ti_details_viz/{task_id} before each report and sends
/// it only to the run it is about (same node, same job) while the instance still awaits it; an instance in T gets
/// a heartbeat first; a server without the route gets the report as before.
/// </summary>
public sealed class SpoolInstanceCheckTests
{
    private const string DetailsRoute = "get_ti_details_viz";

    [Fact]
    public async Task AnInstanceThatRanOnAnotherNodeIsSetAsideAndNotSent()
    {
        await using var scenario = await ServerScenario.StartAsync();
        var spool = Drill.SpoolOf(scenario);
        var id = Assert.Single(await SpoolFlushTests.SpoolReportsAsync(scenario, 1));
        var node = ReportedNode(spool);
        // Another run of the instance, elsewhere (the distributor resubmitted the job): the instance is now that run's.
        await SpoolFlushTests.LogRunningAsync(scenario, id, "elsewhere.example", ServerScenario.DistributorId);

        var flush = await Drill.FlushAsync(spool);

        Assert.True(flush.ExitCode == 199, flush.ToString());
        var line = Assert.Single(Drill.Lines(flush, "ERROR", "spooled report rejected"));
        Assert.Contains($"nodename: the report's is {node}, the server's instance has elsewhere.example", line, StringComparison.Ordinal);
        Assert.Empty(await SpoolFlushTests.SentByFlushersAsync(scenario, id));
        Assert.Equal("R", await scenario.Harness.StatusOfAsync(id));
        Assert.EndsWith(".json.rejected", Assert.Single(Drill.AllIn(spool)), StringComparison.Ordinal);
        Assert.Single(await DetailsRequestsAsync(scenario));
    }

    [Fact]
    public async Task AnInstanceOfAnotherJobIsSetAsideAndNotSent()
    {
        await using var scenario = await ServerScenario.StartAsync();
        var spool = Drill.SpoolOf(scenario);
        var id = Assert.Single(await SpoolFlushTests.SpoolReportsAsync(scenario, 1));
        await SpoolFlushTests.LogRunningAsync(scenario, id, ReportedNode(spool), "9999");

        var flush = await Drill.FlushAsync(spool);

        Assert.True(flush.ExitCode == 199, flush.ToString());
        Assert.Contains(
            $"distributor_id: the report's is {ServerScenario.DistributorId}, the server's instance has 9999",
            Assert.Single(Drill.Lines(flush, "ERROR", "spooled report rejected")),
            StringComparison.Ordinal);
        Assert.Empty(await SpoolFlushTests.SentByFlushersAsync(scenario, id));
        Assert.EndsWith(".json.rejected", Assert.Single(Drill.AllIn(spool)), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("E", "ERROR")]
    [InlineData("U", "UNKNOWN_ERROR")]
    [InlineData("F", "ERROR_FATAL")]
    [InlineData("X", "NO_HEARTBEAT")]
    public async Task AnInstanceNoLongerAwaitingTheReportIsSetAsideAndNotSent(string status, string label)
    {
        await using var scenario = await ServerScenario.StartAsync();
        var spool = Drill.SpoolOf(scenario);
        var id = Assert.Single(await SpoolFlushTests.SpoolReportsAsync(scenario, 1));
        await scenario.Harness.SetStatusAsync(id, status);

        var flush = await Drill.FlushAsync(spool);

        Assert.True(flush.ExitCode == 199, flush.ToString());
        Assert.Contains(
            $"is in status {status} ({label}) on the server, from which it would not accept a report of D",
            Assert.Single(Drill.Lines(flush, "ERROR", "spooled report rejected")),
            StringComparison.Ordinal);
        Assert.Empty(await SpoolFlushTests.SentByFlushersAsync(scenario, id));
        Assert.Equal(status, await scenario.Harness.StatusOfAsync(id));
    }

    [Fact]
    public async Task AReportTheServerAlreadyRecordedIsNotSentAgain()
    {
        await using var scenario = await ServerScenario.StartAsync();
        var spool = Drill.SpoolOf(scenario);
        var id = Assert.Single(await SpoolFlushTests.SpoolReportsAsync(scenario, 1));
        // The first send landed; only its answer was lost.
        await scenario.Harness.SetStatusAsync(id, "D");

        var flush = await Drill.FlushAsync(spool);

        Assert.True(flush.ExitCode == 0, flush.ToString());
        Assert.Single(Drill.Lines(flush, "INFO", "already recorded, not sent again"));
        Assert.Empty(await SpoolFlushTests.SentByFlushersAsync(scenario, id));
        Assert.Empty(Drill.AllIn(spool));
    }

    [Fact]
    public async Task ADoneReportForAnInstanceInTIsPrecededByAHeartbeatAndLandsTRD()
    {
        await using var scenario = await ServerScenario.StartAsync();
        var spool = Drill.SpoolOf(scenario);
        var id = Assert.Single(await SpoolFlushTests.SpoolReportsAsync(scenario, 1));
        // The reaper found the instance overdue while its worker could not reach the server.
        await scenario.Harness.SetStatusAsync(id, "T");

        var flush = await Drill.FlushAsync(spool);

        Assert.True(flush.ExitCode == 0, flush.ToString());
        Assert.Equal("D", await scenario.Harness.StatusOfAsync(id));
        var history = (await scenario.InstanceAsync(id)).GetProperty("status_history").EnumerateArray()
            .Select(change => $"{change.GetProperty("from").GetString()}>{change.GetProperty("to").GetString()} {change.GetProperty("cause").GetString()}")
            .ToArray();
        Assert.Equal(["R>T admin", "T>R log_report_by", "R>D log_done"], history[^3..]);
        var heartbeat = Assert.Single(await Drill.RequestsAsync(scenario, id, "log_report_by"), request => request.GetProperty("applied").GetBoolean() && IsAfterTriage(request));
        Assert.Equal(ServerScenario.DistributorId, heartbeat.GetProperty("body").GetProperty("distributor_id").GetString());
        Assert.Single(Drill.Lines(flush, "INFO", "a heartbeat brought it back to R"));
        Assert.Empty(Drill.AllIn(spool));
    }

    [Fact]
    public async Task AServerWithoutTheRouteGetsTheReportAsBefore()
    {
        await using var scenario = await ServerScenario.StartAsync(new HarnessOptions { WithoutTaskInstanceDetails = true });
        var spool = Drill.SpoolOf(scenario);
        var ids = await SpoolFlushTests.SpoolReportsAsync(scenario, 2);

        var flush = await Drill.FlushAsync(spool, "--log-level", "debug");

        Assert.True(flush.ExitCode == 0, flush.ToString());
        foreach (var id in ids)
        {
            Assert.Equal("D", await scenario.Harness.StatusOfAsync(id));
            Assert.Single(await SpoolFlushTests.SentByFlushersAsync(scenario, id));
        }

        // Asked once (404), then not again in that flush; said once, at DEBUG.
        Assert.Single(Drill.Lines(flush, "DEBUG", "does not offer the task instance details route"));
        Assert.Empty(Drill.Lines(flush, "WARN"));
        Assert.Empty(Drill.Lines(flush, "ERROR"));
        Assert.Empty(Drill.AllIn(spool));
    }

    [Fact]
    public async Task AMatchingInstanceInRIsCheckedOnceAndDelivered()
    {
        await using var scenario = await ServerScenario.StartAsync();
        var spool = Drill.SpoolOf(scenario);
        var ids = await SpoolFlushTests.SpoolReportsAsync(scenario, 3);

        var flush = await Drill.FlushAsync(spool);

        Assert.True(flush.ExitCode == 0, flush.ToString());
        Assert.All(ids, id => Assert.Equal("D", scenario.Harness.StatusOfAsync(id).GetAwaiter().GetResult()));
        // One question per report (files are flushed oldest first, and copies written in the same instant may come in any order).
        var asked = await DetailsRequestsAsync(scenario);
        Assert.Equal(ids.Select(id => $"/api/v3/task/get_ti_details_viz/{id}").Order(), asked.Select(request => request.GetProperty("path").GetString()).Order());
    }

    [Fact]
    public async Task AWorkersStartUpFlushChecksToo()
    {
        await using var scenario = await ServerScenario.StartAsync();
        var spool = Drill.SpoolOf(scenario);
        var ids = await SpoolFlushTests.SpoolReportsAsync(scenario, 2);
        await SpoolFlushTests.LogRunningAsync(scenario, ids[0], "elsewhere.example", ServerScenario.DistributorId);
        var next = await scenario.CreateAsync("sleep 2");

        var result = await WorkerRun.RunAsync(scenario.Job(next, "--spool-dir", spool), ServerScenario.SlurmJob);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Single(Drill.Lines(result, "ERROR", "the server's instance has elsewhere.example"));
        Assert.Empty(await SpoolFlushTests.SentByFlushersAsync(scenario, ids[0]));
        Assert.Equal("D", await scenario.Harness.StatusOfAsync(ids[1]));
        Assert.Equal("D", await scenario.Harness.StatusOfAsync(next));
        Assert.EndsWith(".json.rejected", Assert.Single(Drill.AllIn(spool)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AWorkerStartWithAnEmptySpoolAsksNothing()
    {
        await using var scenario = await ServerScenario.StartAsync();
        var spool = Drill.SpoolOf(scenario);
        Directory.CreateDirectory(spool);
        var id = await scenario.CreateAsync("sleep 1.5");

        var result = await WorkerRun.RunAsync(scenario.Job(id, "--spool-dir", spool), ServerScenario.SlurmJob);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Empty(await DetailsRequestsAsync(scenario));
        Assert.All(await scenario.Harness.RequestsAsync(), request => Assert.Equal(id, request.GetProperty("task_instance_id").GetInt64()));
    }

    private static async Task<JsonElement[]> DetailsRequestsAsync(ServerScenario scenario) =>
        [.. (await scenario.Harness.RequestsAsync()).Where(request => request.GetProperty("route").GetString() == DetailsRoute)];

    /// <summary>The node the spooled report names (its body's nodename): the worker's own FQDN.</summary>
    private static string ReportedNode(string spool)
    {
        using var file = JsonDocument.Parse(File.ReadAllText(Assert.Single(Drill.PendingIn(spool))));
        using var body = JsonDocument.Parse(file.RootElement.GetProperty("report").GetProperty("body").GetString()!);
        return body.RootElement.GetProperty("nodename").GetString()!;
    }

    // The spooling worker's own heartbeats came before the admin's move to T; the flusher's comes after.
    private static bool IsAfterTriage(JsonElement request) => request.GetProperty("body").GetProperty("next_report_increment").GetDouble() == 279.0;
}
