using System.Text.Json;
using WorkerNode.IntegrationTests.Harness;
using WorkerNode.IntegrationTests.Infrastructure;

namespace WorkerNode.IntegrationTests.Queue;

/// <summary>
/// <c>worker-node queue</c> against a real redis-server: the loop, item and result formats, leases, recovery
/// after kill -9, SIGTERM, idle exit, the kill switch, a Redis restart, a password, and workers racing.
/// Heartbeats of 1 s make leases expire in 3.1 s, so recovery is seen within seconds.
/// </summary>
public sealed class QueueModeTests
{
    private static string[] Worker(RedisServer redis, string queue, params string[] more) =>
        ["queue", "--redis", redis.Url, "--queue", queue, "--heartbeat-interval", "1", "--command-interrupt-timeout", "2", .. more];

    [Fact]
    public async Task RunsEveryKindOfItemAndWritesOneRecordEach()
    {
        await using var redis = await RedisServer.StartAsync();
        var output = Directory.CreateTempSubdirectory("wn-queue-out-").FullName;
        try
        {
            await redis.PushAsync(
                "jobs",
                """{"id":"argv","command":["sh","-c","echo out; echo err >&2; echo $GREETING"],"env":{"GREETING":"hi there"}}""",
                "echo bare; exit 3",
                """{"id":"where","command":"pwd","cwd":"/tmp"}""",
                """{"id":"missing","command":["no-such-program-xyz"]}""");

            var result = await WorkerRun.RunAsync(Worker(redis, "jobs", "--idle-exit", "1s", "--output-dir", output));

            Assert.Equal(0, result.ExitCode);
            var done = await redis.RecordsAsync("jobs:done");
            var failed = await redis.RecordsAsync("jobs:failed");
            Assert.Equal(["argv", "where"], done.Select(record => record.GetProperty("id").GetString()!).ToList());
            Assert.Equal(2, failed.Count);

            var argv = done[0];
            Assert.Equal("done", argv.GetProperty("status").GetString());
            Assert.Equal(1, argv.GetProperty("attempt").GetInt32());
            Assert.True(argv.GetProperty("pid").GetInt32() > 0);
            Assert.Equal(0, argv.GetProperty("run").GetProperty("exit_code").GetInt32());
            Assert.Equal("out\nhi there\n", argv.GetProperty("run").GetProperty("stdout_tail").GetString());
            Assert.Equal("err\n", argv.GetProperty("run").GetProperty("stderr_tail").GetString());
            Assert.True(argv.GetProperty("run").TryGetProperty("maxrss_bytes", out _));
            Assert.Equal("out\nhi there\n", File.ReadAllText(Path.Combine(output, "argv.out")));
            Assert.Equal("err\n", File.ReadAllText(Path.Combine(output, "argv.err")));
            Assert.Equal("/tmp\n", done[1].GetProperty("run").GetProperty("stdout_tail").GetString());

            var bare = failed[0];
            Assert.Equal(16, bare.GetProperty("id").GetString()!.Length);
            Assert.Equal("failed", bare.GetProperty("status").GetString());
            Assert.Equal("exit code 3", bare.GetProperty("reason").GetString());
            Assert.Equal("echo bare; exit 3", bare.GetProperty("item").GetString());
            Assert.Equal(3, bare.GetProperty("run").GetProperty("exit_code").GetInt32());

            Assert.Equal("missing", failed[1].GetProperty("id").GetString());
            Assert.Contains("command not found", failed[1].GetProperty("reason").GetString(), StringComparison.Ordinal);
            Assert.Equal(127, failed[1].GetProperty("run").GetProperty("exit_code").GetInt32());

            Assert.Equal(string.Empty, await redis.CliAsync("LRANGE", "jobs:processing", "0", "-1"));
            Assert.Equal(string.Empty, await redis.CliAsync("KEYS", "jobs:lease:*"));
        }
        finally
        {
            Directory.Delete(output, recursive: true);
        }
    }

    [Fact]
    public async Task MalformedItemsGoToTheFailedListAndTheQueueGoesOn()
    {
        await using var redis = await RedisServer.StartAsync();
        string[] malformed =
        [
            "{not json",
            """{"id":"no-command"}""",
            """{"id":"empty","command":[]}""",
            """{"id":"bad-limit","command":"true","time_limit":"soon"}""",
            """{"id":"a/b","command":"true"}""",
            """{"id":"bad-env","command":"true","env":{"A":1}}""",
            "   ",
        ];
        await redis.PushAsync("q", [.. malformed, """{"id":"after","command":"echo fine"}"""]);

        var result = await WorkerRun.RunAsync(Worker(redis, "q", "--idle-exit", "1s"));

        Assert.Equal(0, result.ExitCode);
        var failed = await redis.RecordsAsync("q:failed");
        Assert.Equal(malformed, failed.Select(record => record.GetProperty("item").GetString()!).ToArray());
        Assert.All(failed, record => Assert.Equal("malformed", record.GetProperty("status").GetString()));
        Assert.All(failed, record => Assert.False(string.IsNullOrEmpty(record.GetProperty("reason").GetString())));
        Assert.Contains("\"command\"", failed[1].GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Contains("time_limit", failed[3].GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Equal("after", Assert.Single(await redis.RecordsAsync("q:done")).GetProperty("id").GetString());
    }

    [Fact]
    public async Task AnItemWhoseWorkerIsKilledIsFinishedByAnotherWithOneRecord()
    {
        await using var redis = await RedisServer.StartAsync();
        var flag = Path.Combine(redis.Directory, "first-run");
        // The first run hangs (its worker is then killed); the second, elsewhere, finishes at once.
        await redis.PushAsync("q", $$"""{"id":"k","command":["sh","-c","if [ -e '{{flag}}' ]; then echo second-time-lucky; else touch '{{flag}}'; echo begun; sleep 60; fi"]}""");
        await using (var doomed = WorkerRun.Start(Worker(redis, "q")))
        {
            await doomed.WaitForStdoutAsync("begun");
            await Eventually.HoldsAsync(async () => (await redis.CliAsync("GET", "q:lease:k")).Contains("\"attempt\"", StringComparison.Ordinal), "the first worker holds the lease");
            var lease = JsonDocument.Parse(await redis.CliAsync("GET", "q:lease:k")).RootElement;
            Assert.Equal(doomed.Pid, lease.GetProperty("worker_pid").GetInt32());
            Assert.True(lease.GetProperty("pid").GetInt32() > 0);
            Assert.Equal(1, lease.GetProperty("attempt").GetInt32());
            doomed.Signal(UnixSignals.Kill);
            await doomed.WaitAsync();
        }

        // The lease expires (3.1 s), recovery sees it gone for a heartbeat interval, and requeues the item.
        var rescuer = await WorkerRun.RunAsync(Worker(redis, "q", "--idle-exit", "15s", "--max-items", "1"), timeout: TimeSpan.FromSeconds(60));

        Assert.Equal(0, rescuer.ExitCode);
        var record = Assert.Single(await redis.RecordsAsync("q:done"));
        Assert.Equal("k", record.GetProperty("id").GetString());
        Assert.Equal(2, record.GetProperty("attempt").GetInt32());
        Assert.Equal("second-time-lucky\n", record.GetProperty("run").GetProperty("stdout_tail").GetString());
        Assert.Empty(await redis.ListAsync("q:failed"));
        Assert.Empty(await redis.ListAsync("q:processing"));
        Assert.Contains("recovered the items of workers whose lease expired", rescuer.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnItemPastItsMaxAttemptsIsGivenUp()
    {
        await using var redis = await RedisServer.StartAsync();
        await redis.PushAsync("q", """{"id":"fragile","command":"sleep 30","max_attempts":1}""");
        await using (var doomed = WorkerRun.Start(Worker(redis, "q")))
        {
            await Eventually.HoldsAsync(async () => (await redis.CliAsync("EXISTS", "q:lease:fragile")) == "1", "the worker holds the lease");
            doomed.Signal(UnixSignals.Kill);
            await doomed.WaitAsync();
        }

        var rescuer = await WorkerRun.RunAsync(Worker(redis, "q", "--idle-exit", "10s"), timeout: TimeSpan.FromSeconds(60));

        Assert.Equal(0, rescuer.ExitCode);
        var record = Assert.Single(await redis.RecordsAsync("q:failed"));
        Assert.Equal("fragile", record.GetProperty("id").GetString());
        Assert.Equal("gave_up", record.GetProperty("status").GetString());
        Assert.Empty(await redis.ListAsync("q:done"));
        Assert.Empty(await redis.ListAsync("q"));
        Assert.Empty(await redis.ListAsync("q:processing"));
    }

    [Fact]
    public async Task SigtermPutsTheRunningItemBackAndExitsZero()
    {
        await using var redis = await RedisServer.StartAsync();
        const string item = """{"id":"long","command":["sh","-c","echo started; sleep 60"]}""";
        await redis.PushAsync("q", item);
        await using var worker = WorkerRun.Start(Worker(redis, "q"));
        await worker.WaitForStdoutAsync("started");

        worker.Signal(UnixSignals.Term);
        var result = await worker.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(0, result.ExitCode);
        Assert.Equal([item], await redis.ListAsync("q"));
        Assert.Empty(await redis.ListAsync("q:processing"));
        Assert.Empty(await redis.ListAsync("q:done"));
        Assert.Empty(await redis.ListAsync("q:failed"));
        Assert.Equal("0", await redis.CliAsync("EXISTS", "q:lease:long"));
        Assert.Contains("the interrupted item is back on the queue", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExitsWhenTheQueueStaysEmpty()
    {
        await using var redis = await RedisServer.StartAsync();

        var result = await WorkerRun.RunAsync(Worker(redis, "empty", "--idle-exit", "1s"), timeout: TimeSpan.FromSeconds(30));

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("the queue has been empty for the idle time", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheKillSwitchLetsTheCurrentItemFinishThenStops()
    {
        await using var redis = await RedisServer.StartAsync();
        await redis.PushAsync("q", """{"id":"first","command":"echo begun; sleep 2; echo ended"}""", """{"id":"second","command":"true"}""");
        await using var worker = WorkerRun.Start(Worker(redis, "q"));
        await worker.WaitForStdoutAsync("begun");

        await redis.CliAsync("SET", "q:stop", "1");
        var result = await worker.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(0, result.ExitCode);
        var record = Assert.Single(await redis.RecordsAsync("q:done"));
        Assert.Equal("first", record.GetProperty("id").GetString());
        Assert.Equal("begun\nended\n", record.GetProperty("run").GetProperty("stdout_tail").GetString());
        Assert.Single(await redis.ListAsync("q"));
        Assert.Contains("the kill switch is set", result.Stderr, StringComparison.Ordinal);

        // A worker started while the switch is set takes nothing.
        var late = await WorkerRun.RunAsync(Worker(redis, "q"), timeout: TimeSpan.FromSeconds(30));
        Assert.Equal(0, late.ExitCode);
        Assert.Single(await redis.ListAsync("q"));
    }

    [Fact]
    public async Task MaxItemsEndsTheWorkerAfterThatMany()
    {
        await using var redis = await RedisServer.StartAsync();
        await redis.PushAsync("q", "true", "true ", "true  ");

        var result = await WorkerRun.RunAsync(Worker(redis, "q", "--max-items", "2"));

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(2, (await redis.ListAsync("q:done")).Count);
        Assert.Equal(["true  "], await redis.ListAsync("q"));
    }

    [Fact]
    public async Task ARedisRestartDoesNotDisturbTheCommand()
    {
        await using var redis = await RedisServer.StartAsync();
        await redis.PushAsync("q", """{"id":"steady","command":"echo begun; sleep 4; echo survived"}""");
        await using var worker = WorkerRun.Start(Worker(redis, "q", "--idle-exit", "3s"));
        await Eventually.HoldsAsync(async () => (await redis.CliAsync("EXISTS", "q:lease:steady")) == "1", "the worker holds the lease");

        await redis.RestartAsync(TimeSpan.FromSeconds(1));
        var result = await worker.WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(0, result.ExitCode);
        var record = Assert.Single(await redis.RecordsAsync("q:done"));
        Assert.Equal("begun\nsurvived\n", record.GetProperty("run").GetProperty("stdout_tail").GetString());
        Assert.Equal(0, record.GetProperty("run").GetProperty("exit_code").GetInt32());
        Assert.Equal(JsonValueKind.Null, record.GetProperty("run").GetProperty("stopped_by").ValueKind);
        Assert.Empty(await redis.ListAsync("q:processing"));
        Assert.Contains("Redis answers again", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task APasswordFromTheEnvironmentOrAFileIsUsedAndNeverShown()
    {
        const string password = "s3cret-Redis-pw";
        await using var redis = await RedisServer.StartAsync(password);
        await redis.PushAsync("q", "echo one", "echo two");
        var file = Path.GetTempFileName();
        try
        {
            File.WriteAllText(file, password + "\n");
            var fromEnvironment = await WorkerRun.RunAsync(Worker(redis, "q", "--max-items", "1", "--log-level", "debug"), new Dictionary<string, string?> { ["REDIS_PASSWORD"] = password });
            var fromFile = await WorkerRun.RunAsync(Worker(redis, "q", "--max-items", "1", "--redis-password-file", file, "--log-level", "debug"));
            var wrong = await WorkerRun.RunAsync(Worker(redis, "q", "--max-items", "1"), new Dictionary<string, string?> { ["REDIS_PASSWORD"] = "not-it" });
            var none = await WorkerRun.RunAsync(Worker(redis, "q", "--max-items", "1", "--redis-wait", "3s"), new Dictionary<string, string?> { ["REDIS_PASSWORD"] = null });

            Assert.Equal(0, fromEnvironment.ExitCode);
            Assert.Equal(0, fromFile.ExitCode);
            Assert.Equal(2, (await redis.ListAsync("q:done")).Count);
            Assert.Equal(198, wrong.ExitCode);
            Assert.Contains("refuses the worker", wrong.Stderr, StringComparison.Ordinal);
            Assert.NotEqual(0, none.ExitCode);
            foreach (var run in new[] { fromEnvironment, fromFile, wrong, none })
            {
                Assert.DoesNotContain(password, run.Stderr, StringComparison.Ordinal);
                Assert.DoesNotContain(password, run.Stdout, StringComparison.Ordinal);
            }
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task WorkersRacingOnOneQueueRunEachItemOnce()
    {
        await using var redis = await RedisServer.StartAsync();
        var items = Enumerable.Range(1, 60).Select(n => $$"""{"id":"n{{n}}","command":["echo","{{n}}"]}""").ToArray();
        await redis.PushAsync("race", items);

        var workers = Enumerable.Range(0, 3).Select(_ => WorkerRun.RunAsync(Worker(redis, "race", "--idle-exit", "2s"), timeout: TimeSpan.FromSeconds(120))).ToArray();
        var results = await Task.WhenAll(workers);

        Assert.All(results, result => Assert.Equal(0, result.ExitCode));
        var done = await redis.RecordsAsync("race:done");
        Assert.Equal(60, done.Count);
        Assert.Equal(Enumerable.Range(1, 60).Select(n => $"n{n}").Order(), done.Select(record => record.GetProperty("id").GetString()!).Order());
        Assert.All(done, record => Assert.Equal($"{record.GetProperty("id").GetString()![1..]}\n", record.GetProperty("run").GetProperty("stdout_tail").GetString()));
        Assert.Empty(await redis.ListAsync("race:failed"));
        Assert.Empty(await redis.ListAsync("race:processing"));
    }

    [Fact]
    public async Task BadOptionsGetOneLineAndTheUsageStatus()
    {
        var noScheme = await WorkerRun.RunAsync(["queue", "--redis", "localhost:6379", "--queue", "q"]);
        var noQueue = await WorkerRun.RunAsync(["queue", "--redis", "redis://127.0.0.1:1"]);
        var badIdle = await WorkerRun.RunAsync(["queue", "--redis", "redis://127.0.0.1:1", "--queue", "q", "--idle-exit", "soon"]);

        Assert.Equal(2, noScheme.ExitCode);
        Assert.Contains("redis://", noScheme.Stderr, StringComparison.Ordinal);
        Assert.Equal(2, noQueue.ExitCode);
        Assert.Equal(2, badIdle.ExitCode);
        Assert.Single(badIdle.Stderr.Trim().Split('\n'));
    }

    [Fact]
    public async Task AnUnreachableRedisIsReportedAfterTheWait()
    {
        var result = await WorkerRun.RunAsync(["queue", "--redis", "redis://127.0.0.1:1", "--queue", "q", "--redis-wait", "2s"], timeout: TimeSpan.FromSeconds(30));

        Assert.Equal(199, result.ExitCode);
        Assert.Contains("cannot reach Redis at redis://127.0.0.1:1/0", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AQueueKeyOfTheWrongTypeIsOneClearLine()
    {
        await using var redis = await RedisServer.StartAsync();
        await redis.CliAsync("SET", "q", "not a list");

        var result = await WorkerRun.RunAsync(Worker(redis, "q", "--idle-exit", "5s"), timeout: TimeSpan.FromSeconds(30));

        Assert.Equal(199, result.ExitCode);
        Assert.Contains("answered an error: WRONGTYPE", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RedissIsTlsWithTheGivenCa()
    {
        await using var redis = await RedisServer.StartAsync(tls: true);
        await redis.PushAsync("q", "echo over tls");

        var untrusted = await WorkerRun.RunAsync(Worker(redis, "q", "--max-items", "1"), timeout: TimeSpan.FromSeconds(30));
        var trusted = await WorkerRun.RunAsync(Worker(redis, "q", "--max-items", "1", "--redis-ca", redis.CaFile), timeout: TimeSpan.FromSeconds(30));

        Assert.Equal(198, untrusted.ExitCode);
        Assert.Contains("--redis-ca", untrusted.Stderr, StringComparison.Ordinal);
        Assert.Equal(0, trusted.ExitCode);
        Assert.Equal("over tls\n", Assert.Single(await redis.RecordsAsync("q:done")).GetProperty("run").GetProperty("stdout_tail").GetString());
    }
}
