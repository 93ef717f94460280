using WorkerNode.IntegrationTests.Faults;
using WorkerNode.IntegrationTests.Infrastructure;
using WorkerNode.IntegrationTests.Server;

namespace WorkerNode.IntegrationTests.Security;

/// <summary>A spooled report is sent only by its owner: root flushing a shared spool leaves other users' files alone, one line each.</summary>
public sealed class ForeignSpoolTests
{
    [RootFact]
    public async Task RootSkipsAnotherUsersSpooledReportWithOneLine()
    {
        await using var scenario = await ServerScenario.StartAsync();
        var spool = Drill.SpoolOf(scenario);
        Directory.CreateDirectory(spool);
        File.SetUnixFileMode(spool, (UnixFileMode)0x3FF);
        var id = await scenario.CreateAsync("echo working");
        await scenario.Harness.ArmFaultAsync(new { route = "log_done", mode = "status", count = 100, status_code = 503 });
        var worker = await scenario.RunJobAsync(id, "--retries-timeout", "1", "--spool-dir", spool);
        Assert.True(worker.ExitCode == 199, worker.ToString());
        var theirs = Assert.Single(Drill.PendingIn(spool));
        Chown.ToNobody(theirs);
        await scenario.Harness.SendAsync(HttpMethod.Delete, scenario.Harness.Admin("faults"));
        var before = (await Drill.RequestsAsync(scenario, id, "log_done")).Length;

        var flush = await Drill.FlushAsync(spool);

        Assert.True(File.Exists(theirs), flush.ToString());
        Assert.Equal(before, (await Drill.RequestsAsync(scenario, id, "log_done")).Length);
        Assert.Equal("R", await scenario.Harness.StatusOfAsync(id));
        Assert.Single(Drill.Lines(flush, "WARN", "another user"));
    }
}
