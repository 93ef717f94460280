using WorkerNode.IntegrationTests.Infrastructure;

namespace WorkerNode.IntegrationTests.Schedulers;

/// <summary>
/// `run` ends as its command did, as server mode does: a command killed by signal N makes the worker itself die
/// of N (core dumps off), so a scheduler's accounting shows a signal death (sacct 0:9), not exit 137. A parent
/// that only looks at a shell's $? sees the same 128 + N either way; perl's $? tells the two apart.
/// </summary>
public sealed class RunModeSignalDeathTests
{
    // The wait status as the parent sees it: the signal in the low 7 bits, the exit code above.
    private const string WaitStatus = "system(@ARGV); printf qq{signal=%d exit=%d\\n}, $? & 127, $? >> 8";

    [Fact]
    public async Task A_command_that_kills_itself_with_SIGKILL_makes_the_worker_die_of_SIGKILL()
    {
        var result = await WorkerRun.RunAsync(["-e", WaitStatus, WorkerBinary.Path, "run", "--", "sh", "-c", "kill -9 $$"], program: "/usr/bin/perl");

        Assert.True(result.Stdout.Contains("signal=9 exit=0", StringComparison.Ordinal), result.ToString());
    }

    [Fact]
    public async Task A_command_that_exits_137_makes_the_worker_exit_137_not_die()
    {
        var result = await WorkerRun.RunAsync(["-e", WaitStatus, WorkerBinary.Path, "run", "--", "sh", "-c", "exit 137"], program: "/usr/bin/perl");

        Assert.True(result.Stdout.Contains("signal=0 exit=137", StringComparison.Ordinal), result.ToString());
    }

    [Fact]
    public async Task A_worker_stopped_by_SIGTERM_dies_of_SIGTERM()
    {
        await using var run = WorkerRun.Start(["-e", WaitStatus, WorkerBinary.Path, "run", "--", "sh", "-c", "echo started; exec sleep 60"], program: "/usr/bin/perl");
        await run.WaitForStdoutAsync("started");
        var worker = ProcessScan.WithEnvironment(WorkerRun.MarkerVariable, run.Marker)
            .Single(pid => File.ReadAllText($"/proc/{pid}/comm").Trim() == "worker-node");
        UnixSignals.Send(worker, UnixSignals.Term);

        var result = await run.WaitAsync();
        Assert.True(result.Stdout.Contains("signal=15 exit=0", StringComparison.Ordinal), result.ToString());
    }
}
