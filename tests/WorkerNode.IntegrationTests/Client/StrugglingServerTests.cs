using System.Globalization;
using System.Text.Json;
using WorkerNode.IntegrationTests.Harness;
using WorkerNode.IntegrationTests.Infrastructure;
using WorkerNode.IntegrationTests.Server;

namespace WorkerNode.IntegrationTests.Client;

/// <summary>
/// Issue 12: a slow or overloaded server is helped, not abandoned. A hundred workers with 1 s
/// heartbeats against the harness's load model (answers of 0.5–3 s) all end D; a slow server
/// stops no command; at most one request per worker is ever outstanding and none is abandoned.
/// These tests assert no speed. Wall time on two cores with the Native AOT binary: the hundred workers
/// about 30 s, the slow server about 20 s (1 min 45 s and 25 s with the older ReadyToRun binary);
/// filter them out with --filter Category!=Load.
/// </summary>
[Collection(LoadCollection.Name)]
[Trait("Category", "Load")]
public sealed class StrugglingServerTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(5);

    [Fact]
    public async Task AHundredWorkersAgainstAnOverloadedServerAllEndDoneAndNoneStopsItsCommand()
    {
        const int workers = 100;
        await using var scenario = await ServerScenario.StartAsync();

        // 100 workers, one request each at most, 20 served at once for 0.5 s each: 40 answers a
        // second against a demand of up to 100, so answers take about 0.5-3 s, as the real server's did.
        await SetLoadAsync(scenario.Harness, new { concurrency = 20, service_seconds = 0.5, queue_limit = 0, slow_seconds = 0 });
        var ids = new long[workers];
        for (var i = 0; i < workers; i++)
        {
            ids[i] = await scenario.CreateAsync("sleep 20", name: $"load_{i}");
        }

        var runs = ids.Select(id => WorkerRun.Start(scenario.Job(id), ServerScenario.SlurmJob)).ToArray();
        try
        {
            var results = await Task.WhenAll(runs.Select(run => run.WaitAsync(Patience)));

            var stopped = results.Where(result => result.Stderr.Contains("stopping the command", StringComparison.Ordinal)).ToArray();
            Assert.True(stopped.Length == 0, $"{stopped.Length} workers stopped their command; the first: {stopped.FirstOrDefault()}");
            var failed = results.Where(result => result.ExitCode != 0).ToArray();
            Assert.True(failed.Length == 0, $"{failed.Length} workers failed; the first: {failed.FirstOrDefault()}");
            foreach (var id in ids)
            {
                Assert.Equal("D", await scenario.Harness.StatusOfAsync(id));
            }

            var load = await LoadAsync(scenario.Harness);
            Assert.True(load.GetProperty("abandoned").GetInt64() == 0, $"requests abandoned by their workers: {load}");
            Assert.True(load.GetProperty("refused").GetInt64() == 0, load.ToString());
            Assert.True(load.GetProperty("max_outstanding").GetInt32() <= workers, $"more requests outstanding than workers: {load}");
        }
        finally
        {
            foreach (var run in runs)
            {
                await run.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task ASlowServerStopsNoCommandAndGetsNoMoreHeartbeatsThanAreDue()
    {
        await using var scenario = await ServerScenario.StartAsync();

        // Every answer takes 2.5 s: longer than the 1 s interval, most of next_report_increment (3.1 s).
        await SetLoadAsync(scenario.Harness, new { concurrency = 0, service_seconds = 0, queue_limit = 0, slow_seconds = 2.5 });
        var id = await scenario.CreateAsync("sleep 10");

        var result = await scenario.RunJobAsync(id);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("D", await scenario.Harness.StatusOfAsync(id));
        Assert.DoesNotContain("stopping the command", result.Stderr, StringComparison.Ordinal);
        var load = await LoadAsync(scenario.Harness);
        var heartbeats = load.GetProperty("requests_by_route").TryGetProperty("log_report_by", out var count) ? count.GetInt64() : 0;

        // One at a time, each waited for: at most one per interval plus answer time, never a storm.
        Assert.InRange(heartbeats, 1, 10);
        Assert.Equal(0, load.GetProperty("abandoned").GetInt64());
    }

    internal static async Task SetLoadAsync(RunningHarness harness, object settings)
    {
        var reply = await harness.SendAsync(HttpMethod.Put, harness.Admin("load"), settings);
        Assert.True(reply.Status == System.Net.HttpStatusCode.OK, reply.ToString());
    }

    internal static async Task<JsonElement> LoadAsync(RunningHarness harness) =>
        (await harness.SendAsync(HttpMethod.Get, harness.Admin("load"))).Json();
}
