using System.Globalization;

namespace WorkerNode.IntegrationTests.Schedulers;

/// <summary>packaging/uge/*.qsub, exactly as shipped, submitted to the real one-node Son of Grid Engine.</summary>
[Collection(GridEngineCollection.Name)]
public sealed class GridEngineTemplateTests
{
    private static readonly TimeSpan JobTimeout = TimeSpan.FromSeconds(120);

    [SkippableFact]
    public async Task A_task_that_succeeds_is_D_on_the_server_and_exit_0_in_qacct()
    {
        await GridEngineCluster.RequireAsync("qsub of worker-node.qsub, success");
        await using var setup = await SchedulerJobSetup.StartAsync();
        var id = await setup.Scenario.CreateAsync("echo out-line; echo err-line >&2", name: "ok");

        var job = await GridEngineCluster.SubmitAsync("worker-node.qsub", setup, setup.TemplateVariables(id));
        var records = await GridEngineCluster.WaitForEndAsync(job, JobTimeout);

        await setup.AssertStatusAsync(id, "D");
        Assert.Equal(("0", "0"), (records[0]["failed"], records[0]["exit_status"]));
        var jobText = job.ToString(CultureInfo.InvariantCulture);
        Assert.Equal("out-line\n", await File.ReadAllTextAsync(Path.Combine(setup.Scenario.LogDirectory, $"ok.o{jobText}")));
        Assert.Equal("err-line\n", await File.ReadAllTextAsync(Path.Combine(setup.Scenario.LogDirectory, $"ok.e{jobText}")));
        Assert.Equal(jobText, (await setup.Scenario.InstanceAsync(id)).GetProperty("distributor_id").GetString());
        await setup.AssertNothingLeftBehindAsync();
    }

    [SkippableFact]
    public async Task A_task_that_fails_is_E_on_the_server_with_its_exit_status_in_qacct()
    {
        await GridEngineCluster.RequireAsync("qsub of worker-node.qsub, failure");
        await using var setup = await SchedulerJobSetup.StartAsync();
        var id = await setup.Scenario.CreateAsync("echo bad input >&2; exit 3", name: "bad");

        var job = await GridEngineCluster.SubmitAsync("worker-node.qsub", setup, setup.TemplateVariables(id));
        var records = await GridEngineCluster.WaitForEndAsync(job, JobTimeout);

        await setup.AssertStatusAsync(id, "E");
        Assert.Equal(("0", "3"), (records[0]["failed"], records[0]["exit_status"]));
        await setup.AssertNothingLeftBehindAsync();
    }

    [SkippableFact]
    public async Task Each_task_of_an_array_job_finds_and_runs_its_own_task_instance()
    {
        await GridEngineCluster.RequireAsync("qsub -t of worker-node-array.qsub");
        await using var setup = await SchedulerJobSetup.StartAsync();
        const long arrayId = 78;
        var ids = new List<long>();
        for (var step = 1; step <= 3; step++)
        {
            ids.Add(await SlurmTemplateTests.CreateArrayInstanceAsync(setup, arrayId, step, step == 3 ? "exit 5" : $"echo step {step}"));
        }

        var job = await GridEngineCluster.SubmitAsync("worker-node-array.qsub", setup, setup.TemplateVariables(arrayId: arrayId), "-t", "1-3");
        var records = await GridEngineCluster.WaitForEndAsync(job, JobTimeout, tasks: 3);

        var statuses = new List<string?>();
        foreach (var id in ids)
        {
            statuses.Add(await setup.Scenario.Harness.StatusOfAsync(id));
        }

        Assert.True(statuses.SequenceEqual(["D", "D", "E"]), $"statuses {string.Join(',', statuses)}; {setup.SchedulerOutputText()}");
        var jobText = job.ToString(CultureInfo.InvariantCulture);
        Assert.Equal($"{jobText}.2", (await setup.Scenario.InstanceAsync(ids[1])).GetProperty("distributor_id").GetString());
        Assert.Equal(["1:0", "2:0", "3:5"], records.Select(record => $"{record["taskid"]}:{record["exit_status"]}").Order());
        await setup.AssertNothingLeftBehindAsync();
    }
}
