using System.Globalization;
using WorkerNode.IntegrationTests.Server;

namespace WorkerNode.IntegrationTests.Faults;

/// <summary>
/// The long drill, the only one of a minute: the server down for 60 s in the middle of a run
/// with 1 s heartbeats costs the command nothing, and the outcome still arrives.
/// </summary>
public sealed class LongOutageTests
{
    [Fact]
    public async Task AMinuteWithoutTheServerMidRunCostsTheCommandNothing()
    {
        await using var scenario = await ServerScenario.StartAsync();
        var id = await scenario.CreateAsync("start=$(date +%s); sleep 66; echo slept $(( $(date +%s) - start ))", name: "patient");

        var (result, _) = await Drill.RunThroughOutageAsync(scenario, id, 60, "--report-by-buffer", "100");
        await Drill.WaitUntilUpAsync(scenario.Harness);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("D", await scenario.Harness.StatusOfAsync(id));
        var slept = File.ReadAllText(scenario.LogFile("patient", 'o')).Trim();
        Assert.StartsWith("slept ", slept, StringComparison.Ordinal);
        Assert.InRange(int.Parse(slept["slept ".Length..], CultureInfo.InvariantCulture), 66, 68);
        Assert.InRange(Drill.Lines(result, "WARN", "heartbeat failed").Length, 45, 65);
        Assert.Empty(Drill.Lines(result, "INFO", "stopping the command"));
        Assert.Empty(Drill.AllIn(Drill.SpoolOf(scenario)));

        // Heartbeats resumed once the server was back: the server was down from just after log_running
        // for 60 s, so a heartbeat it recorded more than 60 s after log_running came after the outage.
        var running = Assert.Single(await Drill.RequestsAsync(scenario, id, "log_running")).GetProperty("time").GetDateTimeOffset();
        var landed = (await Drill.RequestsAsync(scenario, id, "log_report_by")).Select(request => request.GetProperty("time").GetDateTimeOffset());
        Assert.Contains(landed, time => time - running > TimeSpan.FromSeconds(60));
    }
}
