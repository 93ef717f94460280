using System.Diagnostics;
using WorkerNode.IntegrationTests.Faults;
using WorkerNode.IntegrationTests.Harness;
using WorkerNode.IntegrationTests.Infrastructure;
using WorkerNode.IntegrationTests.Server;

namespace WorkerNode.IntegrationTests.Spool;

/// <summary>
/// One flush of a spool per node and user at a time (the <c>.flush-HOST-UID</c> lock): <c>spool flush</c> run by
/// hand waits for a worker's start-up flush, or gives up after <c>--lock-wait</c>; and a worker start finds an
/// empty spool without taking (or making) the lock.
/// </summary>
public sealed class NodeFlushLockTests
{
    [Fact]
    public async Task ASpoolFlushBesideAWorkersStartUpFlushDeliversEveryReportExactlyOnce()
    {
        await using var scenario = await ServerScenario.StartAsync();
        var spool = Drill.SpoolOf(scenario);
        var ids = await SpoolFlushTests.SpoolReportsAsync(scenario, 3);
        // The start-up flush's first send gets no answer within its 3 s: it is dropped unapplied, and the
        // flush releases that report (pending again) while it goes on with the others.
        await scenario.Harness.ArmFaultAsync(new { route = "log_done", mode = "delay", count = 1, seconds = 6 });
        var next = await scenario.CreateAsync("sleep 8");

        await using var worker = WorkerRun.Start(scenario.Job(next, "--spool-dir", spool), ServerScenario.SlurmJob);
        // Its start-up flush is at work (holding the node's lock) once the delayed send has reached the server.
        await Eventually.HoldsAsync(
            async () => (await scenario.Harness.FaultsAsync()).Any(fault => fault.GetProperty("fired").GetInt32() > 0),
            "the start-up flush's first send reaches the server");
        var flush = await Drill.FlushAsync(spool);
        var workerResult = await worker.WaitAsync(TimeSpan.FromSeconds(60));

        Assert.True(workerResult.ExitCode == 0, workerResult.ToString());
        Assert.True(flush.ExitCode == 0, flush.ToString());
        foreach (var id in ids)
        {
            Assert.Equal("D", await scenario.Harness.StatusOfAsync(id));
            Assert.Equal(1, Drill.Applied(await SpoolFlushTests.SentByFlushersAsync(scenario, id)));
        }

        Assert.Empty(Drill.AllIn(spool));
        Assert.Equal(ids.Count, Drill.Lines(workerResult, "INFO", "spooled report delivered").Length + Drill.Lines(flush, "INFO", "spooled report delivered").Length);
        Assert.Single(Drill.Lines(flush, "INFO", "is running on this node"));
    }

    [Fact]
    public async Task ASpoolFlushGivesUpAfterLockWaitWithOneLineAndSendsNothing()
    {
        await using var scenario = await ServerScenario.StartAsync();
        var spool = Drill.SpoolOf(scenario);
        Directory.CreateDirectory(spool);
        // A flush of the empty spool makes the node's lock directory.
        var empty = await Drill.FlushAsync(spool);
        Assert.True(empty.ExitCode == 0, empty.ToString());
        var lockDirectory = Assert.Single(Directory.GetDirectories(spool, ".flush-*"));
        var ids = await SpoolFlushTests.SpoolReportsAsync(scenario, 2);
        var pending = Drill.PendingIn(spool).Order().ToArray();

        using var holder = Process.Start(new ProcessStartInfo("flock", [lockDirectory, "-c", "echo held; exec sleep 60"]) { RedirectStandardOutput = true })!;
        try
        {
            Assert.Equal("held", await holder.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(20)));

            var flush = await Drill.FlushAsync(spool, "--lock-wait", "1");

            Assert.True(flush.ExitCode == 199, flush.ToString());
            Assert.Single(Drill.Lines(flush, "ERROR", "is still running on this node"));
            Assert.Empty(Drill.Lines(flush, "INFO", "spooled report delivered"));
            Assert.Equal(pending, Drill.PendingIn(spool).Order().ToArray());
            foreach (var id in ids)
            {
                Assert.Equal("R", await scenario.Harness.StatusOfAsync(id));
                Assert.Empty(await SpoolFlushTests.SentByFlushersAsync(scenario, id));
            }
        }
        finally
        {
            holder.Kill(entireProcessTree: true);
            await holder.WaitForExitAsync();
        }

        // Released: the next flush delivers them.
        var after = await Drill.FlushAsync(spool, "--lock-wait", "0");
        Assert.True(after.ExitCode == 0, after.ToString());
        Assert.Empty(Drill.PendingIn(spool));
    }

    [Theory]
    [InlineData("-1")]
    [InlineData("soon")]
    [InlineData("1e9")]
    public async Task ABadLockWaitIsOneLineAndUsage(string value)
    {
        var flush = await WorkerRun.RunAsync(["spool", "flush", "--dir", Path.GetTempPath(), "--lock-wait", value], timeout: TimeSpan.FromSeconds(60));

        Assert.True(flush.ExitCode == 2, flush.ToString());
        Assert.Contains($"--lock-wait: '{value}' is not a number of seconds", flush.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AWorkerStartFindsAnEmptySpoolWithoutMakingOrTakingTheLock()
    {
        await using var scenario = await ServerScenario.StartAsync();
        var spool = Drill.SpoolOf(scenario);
        // Nothing a flush could send: a rejected report and a temporary of a report being written.
        Directory.CreateDirectory(spool);
        var rejected = Path.Combine(spool, "7-log_done-20261203T000000.000Z-node-1.json.rejected");
        File.WriteAllText(rejected, "{}");
        File.WriteAllText(Path.Combine(spool, ".8-log_done.json.1234.tmp"), "{");
        // Long enough for a start-up flush past its jitter (up to 0.5 s): exit would end it before.
        var id = await scenario.CreateAsync("sleep 1.5");

        var result = await WorkerRun.RunAsync(scenario.Job(id, "--spool-dir", spool, "--log-level", "debug"), ServerScenario.SlurmJob);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("D", await scenario.Harness.StatusOfAsync(id));
        Assert.Empty(Directory.GetDirectories(spool));
        Assert.Equal("{}", File.ReadAllText(rejected));
    }
}
