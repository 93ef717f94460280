using WorkerNode.IntegrationTests.Faults;
using WorkerNode.IntegrationTests.Harness;
using WorkerNode.IntegrationTests.Infrastructure;
using WorkerNode.IntegrationTests.Server;

namespace WorkerNode.IntegrationTests.Schedulers;

/// <summary>
/// The worker's own scheduler queries (here a fake `scontrol` first on PATH that hangs, ignoring SIGTERM) are
/// its children, not the command's: the command's end neither waits for them nor counts them as left behind,
/// and a SIGKILLed worker takes them along.
/// </summary>
public sealed class QueryChildrenTests : IDisposable
{
    private readonly FakeSchedulerClients _fakes = new();

    public QueryChildrenTests() => _fakes.Add("scontrol", $"echo $$ >> '{PidFile}'\ntrap '' TERM\nexec sleep 60");

    private Dictionary<string, string?> Environment => new(ServerScenario.SlurmJob) { ["PATH"] = _fakes.PathVariable };

    private string PidFile => Path.Combine(_fakes.Directory, "pids");

    [Fact]
    public async Task A_hanging_query_neither_delays_the_end_nor_shows_up_as_left_behind()
    {
        await using var scenario = await ServerScenario.StartAsync();
        // The command ends as soon as the query runs (within 20 s): the query is then certainly alive at its end.
        var id = await scenario.CreateAsync($"for i in $(seq 400); do [ -s '{PidFile}' ] && exit 0; sleep 0.05; done; exit 1");

        var result = await WorkerRun.RunAsync(scenario.Job(id, "--log-level", "debug"), Environment);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.True(File.Exists(PidFile), $"the fake scontrol never ran: {result}");
        Assert.Empty(Drill.Lines(result, "INFO", "left behind"));
        // Had the end waited for the query, its 5 s bound would have run out first and said so.
        Assert.Empty(Drill.Lines(result, "INFO", "gave no answer"));
        Assert.Equal("D", await scenario.Harness.StatusOfAsync(id));
        await Eventually.HoldsAsync(() => Task.FromResult(QueryPids().All(pid => !ProcessScan.IsAlive(pid))), "the queries end with the worker");
    }

    [Fact]
    public async Task A_hanging_query_does_not_outlive_a_SIGKILLed_worker()
    {
        await using var scenario = await ServerScenario.StartAsync();
        var id = await scenario.CreateAsync("sleep 600");
        await using var run = WorkerRun.Start(scenario.Job(id), Environment);
        await scenario.WaitForStatusAsync(id, "R");
        await Eventually.HoldsAsync(() => Task.FromResult(QueryPids().Count > 0), "the fake scontrol runs");

        run.Signal(UnixSignals.Kill);
        await run.WaitAsync();

        var pids = QueryPids();
        await Eventually.HoldsAsync(() => Task.FromResult(pids.All(pid => !ProcessScan.IsAlive(pid))), $"the queries ({string.Join(',', pids)}) end with the SIGKILLed worker");
    }

    [Fact]
    public async Task A_task_that_ends_within_its_first_second_never_asks_the_scheduler()
    {
        await using var scenario = await ServerScenario.StartAsync();
        var id = await scenario.CreateAsync("true");

        var result = await WorkerRun.RunAsync(scenario.Job(id), Environment);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("D", await scenario.Harness.StatusOfAsync(id));
        // The queries wait a second after the command's start (SchedulerAnswers.QueryDelay): none ran.
        Assert.False(File.Exists(PidFile), $"the fake scontrol ran for a task of true: {result}");
    }

    public void Dispose() => _fakes.Dispose();

    private List<int> QueryPids() =>
        File.Exists(PidFile) ? File.ReadAllLines(PidFile).Where(line => line.Length > 0).Select(int.Parse).ToList() : [];
}
