using System.Globalization;

namespace WorkerNode.IntegrationTests.Schedulers;

/// <summary>packaging/slurm/*.sbatch, exactly as shipped, submitted to the real one-node Slurm.</summary>
[Collection(SlurmCollection.Name)]
public sealed class SlurmTemplateTests
{
    private static readonly TimeSpan JobTimeout = TimeSpan.FromSeconds(120);

    [SkippableFact]
    public async Task A_task_that_succeeds_is_D_on_the_server_and_COMPLETED_in_sacct()
    {
        await SlurmCluster.RequireAsync("sbatch of worker-node.sbatch, success");
        await using var setup = await SchedulerJobSetup.StartAsync();
        var id = await setup.Scenario.CreateAsync("echo out-line; echo err-line >&2", name: "ok");

        var job = await SlurmCluster.SubmitAsync("worker-node.sbatch", setup, setup.TemplateVariables(id), "--mem=1G");
        var (state, exitCode) = await SlurmCluster.WaitForEndAsync(job, JobTimeout);

        await setup.AssertStatusAsync(id, "D");
        Assert.Equal(("COMPLETED", "0:0"), (state, exitCode));
        var jobText = job.ToString(CultureInfo.InvariantCulture);
        Assert.Equal("out-line\n", await File.ReadAllTextAsync(Path.Combine(setup.Scenario.LogDirectory, $"ok.o{jobText}")));
        Assert.Equal("err-line\n", await File.ReadAllTextAsync(Path.Combine(setup.Scenario.LogDirectory, $"ok.e{jobText}")));
        Assert.Equal(jobText, (await setup.Scenario.InstanceAsync(id)).GetProperty("distributor_id").GetString());
        await setup.AssertNothingLeftBehindAsync();
    }

    [SkippableFact]
    public async Task A_task_that_fails_is_E_on_the_server_and_FAILED_with_its_exit_code_in_sacct()
    {
        await SlurmCluster.RequireAsync("sbatch of worker-node.sbatch, failure");
        await using var setup = await SchedulerJobSetup.StartAsync();
        var id = await setup.Scenario.CreateAsync("echo bad input >&2; exit 3", name: "bad");

        var job = await SlurmCluster.SubmitAsync("worker-node.sbatch", setup, setup.TemplateVariables(id), "--mem=1G");
        var (state, exitCode) = await SlurmCluster.WaitForEndAsync(job, JobTimeout);

        await setup.AssertStatusAsync(id, "E");
        Assert.Equal(("FAILED", "3:0"), (state, exitCode));
        await setup.AssertNothingLeftBehindAsync();
    }

    [SkippableFact]
    public async Task Each_element_of_an_array_job_finds_and_runs_its_own_task_instance()
    {
        await SlurmCluster.RequireAsync("sbatch --array of worker-node-array.sbatch");
        await using var setup = await SchedulerJobSetup.StartAsync();
        const long arrayId = 77;
        var ids = new List<long>();
        for (var step = 0; step < 3; step++)
        {
            ids.Add(await CreateArrayInstanceAsync(setup, arrayId, step, step == 2 ? "exit 5" : $"echo step {step}"));
        }

        var job = await SlurmCluster.SubmitAsync("worker-node-array.sbatch", setup, setup.TemplateVariables(arrayId: arrayId), "--array=0-2", "--mem=1G");
        var accounting = await SlurmCluster.WaitForArrayEndAsync(job, 3, JobTimeout);

        var statuses = new List<string?>();
        foreach (var id in ids)
        {
            statuses.Add(await setup.Scenario.Harness.StatusOfAsync(id));
        }

        Assert.True(statuses.SequenceEqual(["D", "D", "E"]), $"statuses {string.Join(',', statuses)}; {setup.SchedulerOutputText()}");
        var jobText = job.ToString(CultureInfo.InvariantCulture);
        Assert.Equal($"{jobText}_1", (await setup.Scenario.InstanceAsync(ids[1])).GetProperty("distributor_id").GetString());
        Assert.Equal([$"{jobText}_0|COMPLETED|0:0", $"{jobText}_1|COMPLETED|0:0", $"{jobText}_2|FAILED|5:0"], accounting);
        await setup.AssertNothingLeftBehindAsync();
    }

    internal static async Task<long> CreateArrayInstanceAsync(SchedulerJobSetup setup, long arrayId, long step, string command)
    {
        var reply = await setup.Scenario.Harness.SendAsync(
            HttpMethod.Post,
            setup.Scenario.Harness.Admin("task_instances"),
            new { command, name = $"element{step}", stdout_dir = setup.Scenario.LogDirectory, stderr_dir = setup.Scenario.LogDirectory, array_id = arrayId, batch_number = 0, array_step_id = step });
        Assert.Equal(System.Net.HttpStatusCode.Created, reply.Status);
        return reply.Json().GetProperty("task_instance_id").GetInt64();
    }
}
