using System.Globalization;
using WorkerNode.IntegrationTests.Infrastructure;
using WorkerNode.IntegrationTests.Server;

namespace WorkerNode.IntegrationTests.Faults;

/// <summary>
/// The issue's long drill, the only one of a minute: the server down for 60 s in the middle of a run
/// with 1 s heartbeats costs the command nothing, and the outcome still arrives.
/// </summary>
public sealed class LongOutageTests
{
    [Fact]
    public async Task AMinuteWithoutTheServerMidRunCostsTheCommandNothing()
    {
        await using var scenario = await ServerScenario.StartAsync();
        var id = await scenario.CreateAsync("start=$(date +%s); sleep 66; echo slept $(( $(date +%s) - start ))", name: "patient");
        await using var run = WorkerRun.Start(
            scenario.Job(id, "--report-by-buffer", "100", "--spool-dir", Drill.SpoolOf(scenario)),
            ServerScenario.SlurmJob);
        await scenario.WaitForStatusAsync(id, "R");
        var heartbeatsBefore = (await scenario.InstanceAsync(id)).GetProperty("heartbeat_count").GetInt32();

        await Drill.TakeDownAsync(scenario.Harness, 60);
        var result = await run.WaitAsync(TimeSpan.FromSeconds(120));
        await Drill.WaitUntilUpAsync(scenario.Harness);

        Assert.True(result.ExitCode == 0, result.ToString());
        var instance = await scenario.InstanceAsync(id);
        Assert.Equal("D", instance.GetProperty("status").GetString());
        var slept = File.ReadAllText(scenario.LogFile("patient", 'o')).Trim();
        Assert.StartsWith("slept ", slept, StringComparison.Ordinal);
        Assert.InRange(int.Parse(slept["slept ".Length..], CultureInfo.InvariantCulture), 66, 68);
        Assert.InRange(Drill.Lines(result, "WARN", "heartbeat failed").Length, 45, 65);
        Assert.True(instance.GetProperty("heartbeat_count").GetInt32() > heartbeatsBefore, "heartbeats resumed once the server was back");
        Assert.Empty(Drill.Lines(result, "INFO", "stopping the command"));
        Assert.Empty(Drill.AllIn(Drill.SpoolOf(scenario)));
    }
}
