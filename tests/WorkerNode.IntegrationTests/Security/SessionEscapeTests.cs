using System.Diagnostics;
using WorkerNode.IntegrationTests.Infrastructure;
using WorkerNode.IntegrationTests.Server;

namespace WorkerNode.IntegrationTests.Security;

/// <summary>
/// A child the command moves to a process group of its own (job control, Python's process_group=0)
/// stays in the command's session, and does not outlive the worker: not a SIGKILLed one (the exec
/// shim ends the session), not a normal stop (the worker signals every group of the session).
/// </summary>
public sealed class SessionEscapeTests
{
    public static TheoryData<string> Escapers => new()
    {
        "bash -c 'set -m; sleep 300 & wait'",
        "python3 -c \"import subprocess; subprocess.Popen(['sleep', '300'], process_group=0).wait()\"",
    };

    [Theory]
    [MemberData(nameof(Escapers))]
    public async Task AChildInItsOwnProcessGroupDiesWithASigkilledStandaloneWorker(string command)
    {
        await using var run = WorkerRun.Start(["run", "--", "sh", "-c", command]);

        await KillWorkerAndExpectNoSleepAsync(run);
    }

    [Theory]
    [MemberData(nameof(Escapers))]
    public async Task AChildInItsOwnProcessGroupDiesWithASigkilledServerWorker(string command)
    {
        await using var scenario = await ServerScenario.StartAsync();
        var id = await scenario.CreateAsync(command);
        await using var run = WorkerRun.Start(scenario.Job(id), ServerScenario.SlurmJob);

        await KillWorkerAndExpectNoSleepAsync(run);
    }

    [Fact]
    public async Task AStopSignalReachesAChildInItsOwnProcessGroupWithoutWaitingForTheGrace()
    {
        // The child traps SIGTERM and says so: it got the polite signal, not only the SIGKILL after the grace.
        await using var run = WorkerRun.Start(["run", "--command-interrupt-timeout", "30", "--", "bash", "-c", "set -m; bash -c 'trap \"echo child-termed; exit 0\" TERM; echo ready; sleep 300 & wait' & wait"]);
        await run.WaitForStdoutAsync("ready");

        run.Signal(UnixSignals.Term);
        var clock = Stopwatch.StartNew();
        var result = await run.WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(143, result.ExitCode);
        Assert.Contains("child-termed", result.Stdout, StringComparison.Ordinal);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"took {clock.Elapsed}: the child waited for the 30 s grace");
        Assert.Empty(run.Leftovers());
    }

    private static async Task KillWorkerAndExpectNoSleepAsync(WorkerRun run)
    {
        var sleep = await run.FindDescendantAsync("sleep");
        Assert.NotEqual(GroupOf(run.Pid), GroupOf(sleep));
        Assert.NotEqual(GroupOf(SessionLeaderOf(sleep)), GroupOf(sleep));

        run.Signal(UnixSignals.Kill);

        Assert.True(await ProcessScan.WaitUntilGoneAsync(sleep, TimeSpan.FromSeconds(5)), "the child in its own process group outlived the SIGKILLed worker");
    }

    private static int SessionLeaderOf(int pid) => ProcessScan.StatField(pid, 6);

    private static int GroupOf(int pid) => ProcessScan.StatField(pid, 5);
}
