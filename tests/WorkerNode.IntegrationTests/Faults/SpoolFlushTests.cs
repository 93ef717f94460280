using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using WorkerNode.IntegrationTests.Harness;
using WorkerNode.IntegrationTests.Infrastructure;
using WorkerNode.IntegrationTests.Server;

namespace WorkerNode.IntegrationTests.Faults;

/// <summary><c>worker-node spool flush</c> and the background flush of every worker start, against the harness.</summary>
public sealed class SpoolFlushTests
{
    [Fact]
    public async Task TwoFlushersAtOnceNeverSendTheSameReportTwice()
    {
        await using var scenario = await ServerScenario.StartAsync();
        var spool = Drill.SpoolOf(scenario);
        var ids = await SpoolReportsAsync(scenario, 12);
        // Slow answers, so that the two flushers are surely at work at the same time.
        await scenario.Harness.ArmFaultAsync(new { route = "log_done", mode = "delay", count = ids.Count, seconds = 0.3 });

        await using var first = WorkerRun.Start(["spool", "flush", "--dir", spool]);
        await using var second = WorkerRun.Start(["spool", "flush", "--dir", spool]);
        var results = new[] { await first.WaitAsync(), await second.WaitAsync() };

        // One flush per node at a time (the node's flush lock): whichever came second waited for the other.
        Assert.All(results, result => Assert.True(result.ExitCode == 0, result.ToString()));
        Assert.Equal(ids.Count, results.Sum(result => Drill.Lines(result, "INFO", "spooled report delivered").Length));
        foreach (var id in ids)
        {
            Assert.Equal("D", await scenario.Harness.StatusOfAsync(id));
            Assert.Single(await SentByFlushersAsync(scenario, id));
        }

        Assert.Empty(Drill.AllIn(spool));
    }

    [Fact]
    public async Task AnAbandonedClaimIsTakenOverButALiveOneIsLeftAlone()
    {
        await using var scenario = await ServerScenario.StartAsync();
        var spool = Drill.SpoolOf(scenario);
        var ids = await SpoolReportsAsync(scenario, 2);
        var files = Drill.PendingIn(spool).Order().ToArray();
        var abandoned = files[0] + ".claimed-gone-host-1";
        var live = files[1] + ".claimed-busy-host-2";
        File.Move(files[0], abandoned);
        File.SetLastWriteTimeUtc(abandoned, DateTime.UtcNow.AddHours(-1));
        File.Move(files[1], live);

        var flush = await Drill.FlushAsync(spool);

        Assert.True(flush.ExitCode == 0, flush.ToString());
        Assert.Equal("D", await scenario.Harness.StatusOfAsync(IdOf(files[0])));
        Assert.Equal("R", await scenario.Harness.StatusOfAsync(IdOf(files[1])));
        Assert.Equal([live], Drill.AllIn(spool));
        Assert.Equal(2, ids.Count);
    }

    [Fact]
    public async Task AReportTheServerRefusesIsRejectedAndKeptForAPerson()
    {
        await using var scenario = await ServerScenario.StartAsync();
        var spool = Drill.SpoolOf(scenario);
        var ids = await SpoolReportsAsync(scenario, 2);
        // The reaper won the race for the first (U); the second names an instance the server does not have.
        await scenario.Harness.SetStatusAsync(ids[0], "U");
        var unknown = Drill.PendingIn(spool).Single(file => IdOf(file) == ids[1]);
        var json = JsonNode.Parse(File.ReadAllText(unknown))!;
        json["report"]!["task_instance_id"] = 999;
        File.WriteAllText(unknown, json.ToJsonString());

        var flush = await Drill.FlushAsync(spool);

        Assert.Equal(199, flush.ExitCode);
        Assert.Equal(2, Drill.Lines(flush, "ERROR", "spooled report rejected").Length);
        // Both are found out before anything is sent (the flush asks the server for the instance first).
        Assert.Single(Drill.Lines(flush, "ERROR", "is in status U (UNKNOWN_ERROR) on the server, from which it would not accept a report of D"));
        Assert.Single(Drill.Lines(flush, "ERROR", $"has no task instance 999 on the server"));
        Assert.Equal("U", await scenario.Harness.StatusOfAsync(ids[0]));
        Assert.All(Drill.AllIn(spool), file => Assert.EndsWith(".json.rejected", file, StringComparison.Ordinal));
        Assert.Equal(2, Drill.AllIn(spool).Length);

        // Rejected files are never sent (nor sent again).
        var again = await Drill.FlushAsync(spool);
        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Empty(await SentByFlushersAsync(scenario, ids[0]));
    }

    [Fact]
    public async Task TheNextWorkerDeliversASpooledReportOfItsServerInTheBackground()
    {
        await using var scenario = await ServerScenario.StartAsync();
        var spool = Drill.SpoolOf(scenario);
        var spooled = await SpoolReportsAsync(scenario, 1);
        var next = await scenario.CreateAsync("sleep 1");

        var result = await WorkerRun.RunAsync(scenario.Job(next, "--spool-dir", spool), ServerScenario.SlurmJob);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("D", await scenario.Harness.StatusOfAsync(next));
        Assert.Equal("D", await scenario.Harness.StatusOfAsync(spooled[0]));
        Assert.Single(Drill.Lines(result, "INFO", "spooled report delivered"));
        Assert.Single(Drill.Lines(result, "INFO", "background flush of the spool"));
        Assert.Empty(Drill.AllIn(spool));
    }

    [Fact]
    public async Task TheBackgroundFlushLeavesReportsForAnotherServerAlone()
    {
        await using var scenario = await ServerScenario.StartAsync();
        await using var other = await ServerScenario.StartAsync();
        var spool = Drill.SpoolOf(scenario);
        var spooled = await SpoolReportsAsync(other, 1, spool);
        var next = await scenario.CreateAsync("true");

        var result = await WorkerRun.RunAsync(scenario.Job(next, "--spool-dir", spool), ServerScenario.SlurmJob);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("R", await other.Harness.StatusOfAsync(spooled[0]));
        Assert.Single(Drill.PendingIn(spool));
        Assert.Empty(Drill.Lines(result, "INFO", "spooled report delivered"));
    }

    /// <summary>
    /// Spools reports of <paramref name="count"/> running instances: a real worker spools the first
    /// (its log_done refused with 503s), and copies of its file stand for the others.
    /// </summary>
    internal static async Task<List<long>> SpoolReportsAsync(ServerScenario scenario, int count, string? spool = null)
    {
        spool ??= Drill.SpoolOf(scenario);
        var first = await scenario.CreateAsync("echo spooled");
        await scenario.Harness.ArmFaultAsync(new { route = "log_done", mode = "status", count = 100, status_code = 503 });
        var result = await WorkerRun.RunAsync(scenario.Job(first, "--retries-timeout", "1", "--spool-dir", spool), ServerScenario.SlurmJob);
        Assert.True(result.ExitCode == 199, result.ToString());
        await scenario.Harness.SendAsync(HttpMethod.Delete, scenario.Harness.Admin("faults"));

        var original = Assert.Single(Drill.PendingIn(spool), file => IdOf(file) == first);
        var ids = new List<long> { first };
        for (var i = 1; i < count; i++)
        {
            var id = await scenario.CreateAsync("echo spooled");
            var json = JsonNode.Parse(File.ReadAllText(original))!;
            // Each copy stands for a run of its own instance on the same node and job (log_running recorded them, R),
            // of the instance's own task (the harness's default task id is the instance id).
            var body = JsonNode.Parse(json["report"]!["body"]!.GetValue<string>())!;
            await LogRunningAsync(scenario, id, body["nodename"]!.GetValue<string>(), body["distributor_id"]?.GetValue<string>());
            json["report"]!["task_instance_id"] = id;
            json["task_id"] = id;
            var copy = Path.Combine(spool, $"{id}{Path.GetFileName(original)[first.ToString(CultureInfo.InvariantCulture).Length..]}");
            File.WriteAllText(copy, json.ToJsonString());
            ids.Add(id);
        }

        return ids;
    }

    /// <summary>log_running as a worker on <paramref name="nodename"/> would send it: the instance moves to R and records the node and job.</summary>
    internal static async Task LogRunningAsync(ServerScenario scenario, long id, string nodename, string? distributorId)
    {
        var reply = await scenario.Harness.PostApiAsync(
            $"task_instance/{id}/log_running",
            new { nodename, distributor_id = distributorId, process_group_id = "1", next_report_increment = 300.0 });
        Assert.Equal(System.Net.HttpStatusCode.OK, reply.Status);
    }

    /// <summary>The log_done requests of an instance but the 503-refused ones of the worker that spooled it.</summary>
    internal static async Task<JsonElement[]> SentByFlushersAsync(ServerScenario scenario, long id) =>
        [.. (await Drill.RequestsAsync(scenario, id, "log_done")).Where(request => request.GetProperty("fault").GetString() != "status")];

    internal static long IdOf(string file) =>
        long.Parse(Path.GetFileName(file).Split('-')[0], CultureInfo.InvariantCulture);
}
