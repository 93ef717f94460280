using System.Diagnostics;
using System.Globalization;
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
        var sleep = await FindAsync(run, "sleep");
        Assert.NotEqual(GroupOf(run.Pid), GroupOf(sleep));
        Assert.NotEqual(GroupOf(SessionLeaderOf(sleep)), GroupOf(sleep));

        run.Signal(UnixSignals.Kill);
        var clock = Stopwatch.StartNew();
        while (ProcessScan.IsAlive(sleep) && clock.Elapsed < TimeSpan.FromSeconds(5))
        {
            await Task.Delay(20);
        }

        Assert.False(ProcessScan.IsAlive(sleep), "the child in its own process group outlived the SIGKILLed worker");
    }

    private static async Task<int> FindAsync(WorkerRun run, string name)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(20))
        {
            foreach (var pid in run.Leftovers())
            {
                var comm = File.Exists($"/proc/{pid}/comm") ? File.ReadAllText($"/proc/{pid}/comm").Trim() : string.Empty;
                if (comm == name)
                {
                    return pid;
                }
            }

            await Task.Delay(20);
        }

        throw new TimeoutException($"no {name} started by the worker within 20 s");
    }

    private static int SessionLeaderOf(int pid) => Field(pid, 6);

    private static int GroupOf(int pid) => Field(pid, 5);

    private static int Field(int pid, int field)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var rest = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return int.Parse(rest[field - 3], CultureInfo.InvariantCulture);
    }
}
