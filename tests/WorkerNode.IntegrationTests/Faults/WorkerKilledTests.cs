using WorkerNode.IntegrationTests.Harness;
using WorkerNode.IntegrationTests.Infrastructure;
using WorkerNode.IntegrationTests.Server;

namespace WorkerNode.IntegrationTests.Faults;

/// <summary>A worker killed outright (SIGKILL: nothing runs in it any more) takes its command with it: the parent-death signal.</summary>
public sealed class WorkerKilledTests
{
    [Fact]
    public async Task AWorkerKilledWithSigkillLeavesNoProcessBehind()
    {
        await using var scenario = await ServerScenario.StartAsync();
        var id = await scenario.CreateAsync("sleep 60 & sleep 60; wait");
        await using var run = WorkerRun.Start(scenario.Job(id), ServerScenario.SlurmJob);
        await scenario.WaitForStatusAsync(id, "R");
        await Eventually.HoldsAsync(() => Task.FromResult(run.Leftovers().Count >= 3), "the command and its two sleeps run");

        run.Signal(UnixSignals.Kill);
        var result = await run.WaitAsync();

        Assert.Equal(128 + UnixSignals.Kill, result.ExitCode);
        await Eventually.HoldsAsync(() => Task.FromResult(run.Leftovers().Count == 0), "every process of the command is gone", TimeSpan.FromSeconds(10));
        Assert.Equal("R", await scenario.Harness.StatusOfAsync(id));
    }
}
