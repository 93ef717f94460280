using System.Diagnostics;
using WorkerNode.IntegrationTests.Infrastructure;

namespace WorkerNode.IntegrationTests.ProcessControl;

/// <summary>Process groups, the subreaper, the parent-death signal, and the worker's own signals.</summary>
public sealed class ProcessControlTests
{
    [Fact]
    public async Task DaemonsStartedByTheCommandAreGoneWhenTheWorkerExits()
    {
        await using var run = WorkerRun.Start(["run", "--command-interrupt-timeout", "2", "--", "sh", "-c",
            "(setsid sh -c 'sleep 300' &); (nohup sleep 301 >/dev/null 2>&1 &); sh -c 'trap \"\" TERM; sleep 302' & echo started"]);

        var result = await run.WaitAsync();

        Assert.Equal(0, result.ExitCode);
        Assert.Empty(run.Leftovers());
    }

    [Fact]
    public async Task KillingTheWorkerWithSigkillKillsTheCommandWithinOneSecond()
    {
        await using var run = WorkerRun.Start(["run", "--", "sleep", "300"]);
        var command = await run.FindDescendantAsync("sleep");

        run.Signal(UnixSignals.Kill);

        Assert.True(await ProcessScan.WaitUntilGoneAsync(command, TimeSpan.FromSeconds(1)), "the command outlived the SIGKILLed worker by more than 1 s");
    }

    [Fact]
    public async Task SigtermRunsTheCommandsTrapAndBothExitWithinTheGrace()
    {
        // "ready" only once sleep exists: a SIGTERM sent before the fork would miss sleep, which would then
        // live out the whole grace.
        await using var run = await StartUntilReadyAsync("trap 'echo trapped; exit 7' TERM; sleep 300 & echo ready; wait", grace: "10");

        run.Signal(UnixSignals.Term);
        var clock = Stopwatch.StartNew();
        var result = await run.WaitAsync();

        Assert.Equal(143, result.ExitCode);
        Assert.Contains("trapped", result.Stdout, StringComparison.Ordinal);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"took {clock.Elapsed} to stop; the grace is 10 s");
    }

    [Fact]
    public async Task ACommandThatIgnoresSigtermIsKilledAfterTheGrace()
    {
        await using var run = await StartUntilReadyAsync("trap '' TERM; echo ready; while :; do sleep 0.1; done", grace: "1");

        run.Signal(UnixSignals.Term);
        var clock = Stopwatch.StartNew();
        var result = await run.WaitAsync();

        Assert.Equal(143, result.ExitCode);
        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(0.9), $"the command was killed after {clock.Elapsed}, before its 1 s grace");
        Assert.Contains("SIGKILL", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ASecondSigtermSkipsTheRestOfTheGrace()
    {
        await using var run = await StartUntilReadyAsync("trap '' TERM; echo ready; while :; do sleep 0.1; done", grace: "60");

        run.Signal(UnixSignals.Term);
        await run.WaitForStderrAsync("stopping the command");
        run.Signal(UnixSignals.Term);
        var result = await run.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(143, result.ExitCode);
    }

    [Fact]
    public async Task AStopSignalAfterTheCommandHasEndedOnlyCutsTheCleanUpShort()
    {
        var report = Path.Combine(Path.GetTempPath(), $"wn-late-stop-{Guid.NewGuid():N}.json");
        try
        {
            await using var run = WorkerRun.Start(["run", "--command-interrupt-timeout", "60", "--report", report, "--", "sh", "-c",
                "(trap '' TERM; sleep 300) & exit 0"]);
            await run.WaitForStderrAsync("ending processes the command left behind");

            run.Signal(UnixSignals.Term);
            var result = await run.WaitAsync(TimeSpan.FromSeconds(30));

            Assert.Equal(0, result.ExitCode);
            using var json = System.Text.Json.JsonDocument.Parse(File.ReadAllText(report));
            Assert.Equal(System.Text.Json.JsonValueKind.Null, json.RootElement.GetProperty("stopped_by").ValueKind);
        }
        finally
        {
            File.Delete(report);
        }
    }

    [Fact]
    public async Task Sigusr1IsForwardedToTheCommandOnly()
    {
        await using var run = await StartUntilReadyAsync("trap 'echo got-usr1; exit 0' USR1; echo ready; while :; do sleep 0.1; done", grace: "10");

        run.Signal(UnixSignals.Usr1);
        var result = await run.WaitAsync();

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("got-usr1", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheCommandRunsInASessionAndProcessGroupOfItsOwn()
    {
        // The exec shim, the command's parent, leads both (so that it can kill the group should the worker die).
        var result = await WorkerRun.RunAsync(["run", "--", "sh", "-c", "echo $PPID $(ps -o pgid= -p $$) $(ps -o sid= -p $$) $(ps -o pgid= -p $PPID)"]);

        var fields = result.Stdout.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal(4, fields.Length);
        Assert.Equal(fields[0], fields[1]);
        Assert.Equal(fields[0], fields[2]);
        Assert.Equal(fields[0], fields[3]);
    }

    /// <summary>worker-node run -- sh -c SCRIPT, once the script has printed "ready" (its traps are set).</summary>
    private static async Task<WorkerRun> StartUntilReadyAsync(string script, string grace)
    {
        var run = WorkerRun.Start(["run", "--command-interrupt-timeout", grace, "--", "sh", "-c", script]);
        try
        {
            await run.WaitForStdoutAsync("ready");
            return run;
        }
        catch
        {
            await run.DisposeAsync();
            throw;
        }
    }
}
