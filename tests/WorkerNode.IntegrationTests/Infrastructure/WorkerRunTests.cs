using WorkerNode.IntegrationTests.Harness;

namespace WorkerNode.IntegrationTests.Infrastructure;

/// <summary>The test runner's own promise: every wait on a run ends, even when something holds its output open.</summary>
public sealed class WorkerRunTests
{
    [Fact(Timeout = 60_000)]
    public async Task Output_held_open_after_the_exit_fails_clearly_and_kills_the_holder()
    {
        // The shell exits at once; the sleep it leaves behind inherits, and holds, its stdout and stderr.
        await using var run = WorkerRun.Start(["-c", "sleep 600 & exit 3"], program: "/bin/sh");

        var error = await Assert.ThrowsAsync<TimeoutException>(() => run.WaitAsync());

        Assert.Contains("worker-node exited (3), but its stdout or stderr was still open", error.Message, StringComparison.Ordinal);
        await Eventually.HoldsAsync(() => Task.FromResult(run.Leftovers().Count == 0), "the sleep holding the output is killed");
    }

    [Fact(Timeout = 60_000)]
    public async Task A_normal_run_ends_with_all_its_output()
    {
        await using var run = WorkerRun.Start(["-c", "echo out; echo err >&2; exit 4"], program: "/bin/sh");

        var result = await run.WaitAsync();

        Assert.Equal(4, result.ExitCode);
        Assert.Equal("out\n", result.Stdout);
        Assert.Equal("err\n", result.Stderr);
    }
}
