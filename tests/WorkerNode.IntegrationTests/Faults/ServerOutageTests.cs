using System.Text.Json;
using WorkerNode.IntegrationTests.Infrastructure;
using WorkerNode.IntegrationTests.Server;

namespace WorkerNode.IntegrationTests.Faults;

/// <summary>The server down (its port refusing connections) before, during and after a task.</summary>
public sealed class ServerOutageTests
{
    [Fact]
    public async Task AServerDownAtStartIsWaitedForWithinTheRetryBudget()
    {
        await using var scenario = await ServerScenario.StartAsync();
        var id = await scenario.CreateAsync("echo late start");
        await Drill.TakeDownAsync(scenario.Harness, 3);

        var result = await WorkerRun.RunAsync(scenario.Job(id, "--retries-timeout", "30", "--spool-dir", Drill.SpoolOf(scenario)), ServerScenario.SlurmJob);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.True(result.Elapsed > TimeSpan.FromSeconds(2), $"log_running cannot have landed during the outage: {result}");
        Assert.Equal("D", await scenario.Harness.StatusOfAsync(id));
        Assert.Single(await Drill.RequestsAsync(scenario, id, "log_running"));
    }

    [Fact]
    public async Task AShortOutageMidRunCostsTheCommandNothing()
    {
        await using var scenario = await ServerScenario.StartAsync();
        var id = await scenario.CreateAsync(Drill.CountTo(9), name: "counting");

        var (result, _) = await Drill.RunThroughOutageAsync(scenario, id, 5, "--report-by-buffer", "20", "--retries-timeout", "30");
        await Drill.WaitUntilUpAsync(scenario.Harness);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("D", await scenario.Harness.StatusOfAsync(id));
        Assert.Equal(Drill.CountedTo(9), File.ReadAllText(scenario.LogFile("counting", 'o')));
        var warnings = Drill.Lines(result, "WARN", "heartbeat failed");
        Assert.InRange(warnings.Length, 3, 6);
        Assert.All(warnings, line => Assert.Contains("refused", line, StringComparison.OrdinalIgnoreCase));
        Assert.Empty(Drill.Lines(result, "INFO", "stopping the command"));
        Assert.Empty(Drill.Lines(result, "ERROR"));
    }

    [Fact]
    public async Task AReportThatCannotBeDeliveredIsSpooledThenFlushedOnceTheServerIsBack()
    {
        await using var scenario = await ServerScenario.StartAsync();
        var spool = Drill.SpoolOf(scenario);
        var id = await scenario.CreateAsync("echo finished; sleep 1", name: "late");

        var (result, pid) = await Drill.RunThroughOutageAsync(scenario, id, 12, "--report-by-buffer", "30", "--retries-timeout", "3");

        Assert.True(result.ExitCode == 199, result.ToString());
        var file = Assert.Single(Drill.PendingIn(spool));
        var error = Assert.Single(Drill.Lines(result, "ERROR"));
        Assert.Contains($"kept in the spool as {file}", error, StringComparison.Ordinal);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        using (var spooled = JsonDocument.Parse(File.ReadAllText(file)))
        {
            var root = spooled.RootElement;
            Assert.Equal(id, root.GetProperty("report").GetProperty("task_instance_id").GetInt64());
            Assert.Equal("log_done", root.GetProperty("report").GetProperty("route").GetString());
            Assert.Equal("D", root.GetProperty("report").GetProperty("target_status").GetString());
            Assert.Contains("finished", root.GetProperty("report").GetProperty("body").GetString(), StringComparison.Ordinal);
            Assert.Equal(scenario.Harness.Server.BaseUrl.ToString().TrimEnd('/'), root.GetProperty("server").GetProperty("service_url").GetString());
            Assert.Equal("/api/v3", root.GetProperty("server").GetProperty("route_prefix").GetString());
            Assert.Equal("3.4.0", root.GetProperty("server").GetProperty("expected_jobmon_version").GetString());
            Assert.Equal(pid, root.GetProperty("pid").GetInt32());
            Assert.False(string.IsNullOrEmpty(root.GetProperty("host").GetString()));
            Assert.True(root.GetProperty("created_at").GetDateTimeOffset() > DateTimeOffset.UtcNow.AddMinutes(-5));
            Assert.Contains("cannot reach the Jobmon server", root.GetProperty("reason").GetString(), StringComparison.Ordinal);
        }

        await Drill.WaitUntilUpAsync(scenario.Harness);
        Assert.Equal("R", await scenario.Harness.StatusOfAsync(id));
        var flush = await Drill.FlushAsync(spool);

        Assert.True(flush.ExitCode == 0, flush.ToString());
        Assert.Single(Drill.Lines(flush, "INFO", "spooled report delivered"));
        Assert.Equal("D", await scenario.Harness.StatusOfAsync(id));
        var done = Assert.Single(await Drill.RequestsAsync(scenario, id, "log_done"));
        Assert.True(done.GetProperty("applied").GetBoolean());
        Assert.Equal("finished\n", done.GetProperty("body").GetProperty("stdout_log").GetString());
        Assert.Empty(Drill.AllIn(spool));
    }
}
