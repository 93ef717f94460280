using System.Diagnostics;
using WorkerNode.IntegrationTests.Infrastructure;
using WorkerNode.IntegrationTests.Server;
using Xunit.Abstractions;

namespace WorkerNode.IntegrationTests.Faults;

/// <summary>
/// A final report that meets ten failed answers in a row still lands (PROTOCOL.md §3): 503, 423 and
/// a 500 that is not NoResultFound are all retried. With waits of 1, 2, 4, 8, 16, then 30 s, the
/// eleventh attempt comes about three minutes after the first: the three drills run side by side.
/// </summary>
public sealed class RetriedReportTests(ITestOutputHelper output)
{
    [Fact]
    public async Task TenFailedAnswersToLogDoneInARowStillEndDone()
    {
        var drills = new[] { 503, 423, 500 }.Select(RunDrillAsync).ToArray();

        foreach (var (code, elapsed) in await Task.WhenAll(drills))
        {
            output.WriteLine($"10 x {code} to log_done, then D: {elapsed.TotalSeconds:0.0} s");
        }
    }

    private static async Task<(int Code, TimeSpan Elapsed)> RunDrillAsync(int code)
    {
        await using var scenario = await ServerScenario.StartAsync();
        var id = await scenario.CreateAsync($"echo answered {code}");
        await scenario.Harness.ArmFaultAsync(new { route = "log_done", mode = "status", count = 10, status_code = code });
        var clock = Stopwatch.StartNew();

        var result = await WorkerRun.RunAsync(
            scenario.Job(id, "--retries-attempts", "11", "--retries-timeout", "300", "--spool-dir", Drill.SpoolOf(scenario)),
            ServerScenario.SlurmJob,
            TimeSpan.FromMinutes(5));

        Assert.True(result.ExitCode == 0, $"{code}: {result}");
        Assert.Equal("D", await scenario.Harness.StatusOfAsync(id));
        var attempts = await Drill.RequestsAsync(scenario, id, "log_done");
        Assert.Equal(11, attempts.Length);
        Assert.All(attempts[..10], attempt => Assert.Equal(code, attempt.GetProperty("status_code").GetInt32()));
        Assert.Equal(1, Drill.Applied(attempts));
        Assert.Empty(Drill.AllIn(Drill.SpoolOf(scenario)));
        Assert.Empty(Drill.Lines(result, "ERROR"));
        return (code, clock.Elapsed);
    }
}
