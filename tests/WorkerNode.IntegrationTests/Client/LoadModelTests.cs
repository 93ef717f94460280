using System.Net;
using WorkerNode.Harness.Hosting;
using WorkerNode.Harness.Load;
using WorkerNode.IntegrationTests.Harness;

namespace WorkerNode.IntegrationTests.Client;

/// <summary>The harness's load model (issue 12): K at once, a bounded queue whose overflow is dropped, counts and high-water marks, settings from the admin API and the command line.</summary>
public sealed class LoadModelTests
{
    [Fact]
    public async Task AtMostKAreServedAtOnceTheQueueIsBoundedAndEverythingIsCounted()
    {
        await using var harness = await RunningHarness.StartAsync(new HarnessOptions { Load = new LoadSettings(Concurrency: 1, ServiceSeconds: 1.5, QueueLimit: 1) });
        var id = await harness.CreateTaskInstanceAsync(new { command = "true", status = "R" });

        var body = new { next_report_increment = 10 };
        var first = harness.PostApiAsync($"task_instance/{id}/log_report_by", body);
        await Eventually.HoldsAsync(async () => (await StrugglingServerTests.LoadAsync(harness)).GetProperty("in_service").GetInt32() == 1, "the first request is being served", TimeSpan.FromSeconds(20));
        var second = harness.PostApiAsync($"task_instance/{id}/log_report_by", body);
        await Eventually.HoldsAsync(async () => (await StrugglingServerTests.LoadAsync(harness)).GetProperty("queued").GetInt32() == 1, "the second request waits", TimeSpan.FromSeconds(20));
        var third = await Assert.ThrowsAnyAsync<HttpRequestException>(() => harness.PostApiAsync($"task_instance/{id}/log_report_by", body));

        Assert.Equal(HttpStatusCode.OK, (await first).Status);
        Assert.Equal(HttpStatusCode.OK, (await second).Status);
        var load = await StrugglingServerTests.LoadAsync(harness);
        Assert.Equal(3, load.GetProperty("requests").GetInt64());
        Assert.Equal(3, load.GetProperty("requests_by_route").GetProperty("log_report_by").GetInt64());
        Assert.Equal(2, load.GetProperty("served").GetInt64());
        Assert.Equal(1, load.GetProperty("refused").GetInt64());
        Assert.Equal(1, load.GetProperty("max_queue_depth").GetInt32());
        Assert.Equal(2, load.GetProperty("max_outstanding").GetInt32());
        Assert.NotNull(third);
    }

    [Fact]
    public async Task TheAdminApiSetsTheModelAndRefusesNonsense()
    {
        await using var harness = await RunningHarness.StartAsync();

        var set = await harness.SendAsync(HttpMethod.Put, harness.Admin("load"), new { concurrency = 4, service_seconds = 0.2, queue_limit = 200, slow_seconds = 0 });
        var bad = await harness.SendAsync(HttpMethod.Put, harness.Admin("load"), new { concurrency = -1 });
        var typo = await harness.SendAsync(HttpMethod.Put, harness.Admin("load"), new { concurency = 4 });

        Assert.Equal(HttpStatusCode.OK, set.Status);
        var settings = set.Json().GetProperty("settings");
        Assert.Equal(4, settings.GetProperty("concurrency").GetInt32());
        Assert.Equal(200, settings.GetProperty("queue_limit").GetInt32());
        Assert.Equal(HttpStatusCode.BadRequest, bad.Status);
        Assert.Contains("concurrency", bad.Text, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, typo.Status);
    }

    [Theory]
    [InlineData(new[] { "--concurrency", "4", "--service-seconds", "0.2", "--queue-limit", "200", "--slow", "1.5" }, null)]
    [InlineData(new[] { "--concurrency", "x" }, "--concurrency needs a whole number, 0 or more, not 'x'")]
    [InlineData(new[] { "--slow", "-1" }, "--slow needs a number of seconds, 0 or more, not '-1'")]
    [InlineData(new[] { "--queue-limit" }, "--queue-limit needs a value")]
    public void TheCommandLineSetsTheModel(string[] args, string? error)
    {
        var parsed = HarnessCommandLine.Parse(args);

        Assert.Equal(error, parsed.Error);
        if (error is null)
        {
            Assert.Equal(new LoadSettings(4, 0.2, 200, 1.5), parsed.Options.Load);
        }
    }
}
