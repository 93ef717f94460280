using WorkerNode.IntegrationTests.Faults;
using WorkerNode.IntegrationTests.Infrastructure;
using WorkerNode.IntegrationTests.Server;

namespace WorkerNode.IntegrationTests.Schedulers;

/// <summary>
/// LSF is not installable here: a fake `bjobs` and `bparams` first on PATH answer as LSF 10.1's documentation
/// says they do (bjobs -o ... -hms -json; bparams -a), and record how they were asked. The worker's own process,
/// query and parse are real.
/// </summary>
public sealed class LsfQueryTests : IDisposable
{
    private readonly FakeSchedulerClients _fakes = new();

    public void Dispose() => _fakes.Dispose();

    [Fact]
    public async Task An_LSF_run_limit_asked_of_bjobs_is_enforced_before_LSF_would_and_reported_Z()
    {
        _fakes.Answering("bjobs", """{"COMMAND":"bjobs","JOBS":1,"RECORDS":[{"JOBID":"4242","RUNTIMELIMIT":"00:00:40","RUN_TIME":"00:00:20"}]}""");
        _fakes.Answering("bparams", "System default queue for batch jobs:  normal\n    JOB_TERMINATE_INTERVAL = 3\n");
        await using var scenario = await ServerScenario.StartAsync();
        var id = await scenario.CreateAsync("sleep 600");

        var result = await WorkerRun.RunAsync(scenario.Job(id, "--log-level", "debug"), LsfJob(), TimeSpan.FromSeconds(90));

        var instance = await scenario.InstanceAsync(id);
        Assert.True(instance.GetProperty("status").GetString() == "Z", result.ToString());
        var description = instance.GetProperty("error_log").EnumerateArray().Last().GetProperty("description").GetString();
        // 40 s granted, 20 s run: 20 s left, less the margin of a 40 s limit (10 s).
        Assert.Contains("`bjobs -o runtimelimit 4242[3]`: RUNTIMELIMIT=00:00:40, run 00:00:20 so far minus 00:00:10 margin", description, StringComparison.Ordinal);
        Assert.Equal("4242[3]", instance.GetProperty("distributor_id").GetString());
        Assert.Equal("-o|jobid runtimelimit run_time|-hms|-json|4242[3]|", _fakes.ArgumentsOf("bjobs"));
        Assert.Single(Drill.Lines(result, "DEBUG", "the scheduler's kill window"));
        Assert.Contains("JOB_TERMINATE_INTERVAL (00:00:03", result.Stdout + result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_LSF_job_without_a_run_limit_says_so_in_one_line_and_runs_on()
    {
        _fakes.Answering("bjobs", """{"COMMAND":"bjobs","JOBS":1,"RECORDS":[{"JOBID":"4242","RUNTIMELIMIT":"","RUN_TIME":"00:00:01"}]}""");
        await using var scenario = await ServerScenario.StartAsync();
        var id = await scenario.CreateAsync("sleep 3");

        var result = await WorkerRun.RunAsync(scenario.Job(id), LsfJob());

        Assert.True(result.ExitCode == 0, result.ToString());
        var line = Assert.Single(Drill.Lines(result, "INFO", "no time limit"));
        Assert.Contains("shows no run limit", line, StringComparison.Ordinal);
        Assert.Equal("D", await scenario.Harness.StatusOfAsync(id));
    }

    private Dictionary<string, string?> LsfJob() => new()
    {
        ["LSB_JOBID"] = "4242",
        ["LSB_JOBINDEX"] = "3",
        ["PATH"] = _fakes.PathVariable,
    };

}
