using System.Text.Json;
using WorkerNode.IntegrationTests.Infrastructure;

namespace WorkerNode.IntegrationTests.Queue;

/// <summary>Work-queue mode keeps a resource profile per item when given worker_node.metrics_dir (--metrics-dir).</summary>
public sealed class QueueProfileTests
{
    [Fact]
    public async Task EachItemGetsOneProfileNamedByItsIdAndAttempt()
    {
        await using var redis = await RedisServer.StartAsync();
        var metrics = Path.Combine(Directory.CreateTempSubdirectory("wn-queue-metrics-").FullName, "metrics");
        try
        {
            await redis.PushAsync("jobs", """{"id":"nap","command":"sleep 0.5"}""", """{"id":"fails","command":["sh","-c","exit 4"]}""");

            var result = await WorkerRun.RunAsync(["queue", "--redis", redis.Url, "--queue", "jobs", "--heartbeat-interval", "1", "--idle-exit", "1s", "--sample-interval", "0.1", "--metrics-dir", metrics]);

            Assert.True(result.ExitCode == 0, result.ToString());
            Assert.Equal(["fails.m1.jsonl", "nap.m1.jsonl"], Directory.GetFiles(metrics).Select(Path.GetFileName).Order(StringComparer.Ordinal));
            var lines = File.ReadAllLines(Path.Combine(metrics, "nap.m1.jsonl"));
            using var header = JsonDocument.Parse(lines[0]);
            Assert.Equal("queue", header.RootElement.GetProperty("mode").GetString());
            Assert.Equal("nap", header.RootElement.GetProperty("task").GetString());
            Assert.Equal("/bin/sh -c sleep 0.5", header.RootElement.GetProperty("command").GetString());
            Assert.True(lines.Length > 2, $"a 0.5 s item sampled every 0.1 s has more than one row: {lines.Length - 1}");
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(metrics));
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(metrics)!, recursive: true);
        }
    }

    [Fact]
    public async Task AnUnusableMetricsDirectoryStopsTheWorkerBeforeItTakesAnItem()
    {
        await using var redis = await RedisServer.StartAsync();
        var notADirectory = Path.GetTempFileName();
        try
        {
            await redis.PushAsync("jobs", "true");

            var result = await WorkerRun.RunAsync(["queue", "--redis", redis.Url, "--queue", "jobs", "--idle-exit", "1s", "--metrics-dir", notADirectory]);

            Assert.True(result.ExitCode == 198, result.ToString());
            Assert.Contains($"cannot write profiles to worker_node.metrics_dir {notADirectory}", result.Stderr, StringComparison.Ordinal);
            Assert.Equal("1", await redis.CliAsync("LLEN", "jobs"));
        }
        finally
        {
            File.Delete(notADirectory);
        }
    }
}
