using System.Globalization;
using WorkerNode.IntegrationTests.Infrastructure;

namespace WorkerNode.IntegrationTests.Schedulers;

/// <summary>What the real Grid Engine does to a job (h_rt, qdel and suspension with -notify, h_vmem, a signal death) and what the worker makes of it.</summary>
[Collection(GridEngineCollection.Name)]
public sealed class GridEngineBehaviourTests
{
    private static readonly TimeSpan JobTimeout = TimeSpan.FromSeconds(120);

    [SkippableFact]
    public async Task Reaching_h_rt_is_Z_from_the_worker_before_Grid_Engine_kills_the_job()
    {
        await GridEngineCluster.RequireAsync("h_rt → Z before the SIGKILL");
        await using var setup = await SchedulerJobSetup.StartAsync();
        var id = await setup.Scenario.CreateAsync("sleep 600", name: "slow");

        var job = await GridEngineCluster.SubmitAsync("worker-node.qsub", setup, setup.TemplateVariables(id), "-l", "h_rt=40");
        var records = await GridEngineCluster.WaitForEndAsync(job, JobTimeout);

        var instance = await setup.Scenario.InstanceAsync(id);
        Assert.True(instance.GetProperty("status").GetString() == "Z", $"status {instance.GetProperty("status")}; {setup.SchedulerOutputText()}");
        var description = instance.GetProperty("error_log").EnumerateArray().Last().GetProperty("description").GetString();
        Assert.Contains("time limit", description, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("h_rt=40", description, StringComparison.Ordinal);
        // Not killed by Grid Engine: failed 37 would say qmaster enforced h_rt.
        Assert.DoesNotContain("37", records[0]["failed"], StringComparison.Ordinal);
        await setup.AssertNothingLeftBehindAsync();
    }

    [SkippableFact]
    public async Task Qdel_of_a_notify_job_leaves_an_outcome_on_the_server()
    {
        await GridEngineCluster.RequireAsync("qdel with -notify → outcome on the server");
        await using var setup = await SchedulerJobSetup.StartAsync();
        var id = await setup.Scenario.CreateAsync("trap '' TERM; sleep 600", name: "deleted");

        var job = await GridEngineCluster.StartRunningAsync(setup, id, JobTimeout);
        var deleted = await GridEngineCluster.ClientAsync("qdel", job.ToString(CultureInfo.InvariantCulture));
        Assert.True(deleted.Succeeded, deleted.ToString());
        await GridEngineCluster.WaitForEndAsync(job, JobTimeout);
        await setup.AssertNothingLeftBehindAsync(TimeSpan.FromSeconds(30));

        await setup.AssertStatusAsync(id, "E");
    }

    [SkippableFact]
    public async Task A_suspended_notify_job_suspends_and_resumes_the_command_which_then_ends_D()
    {
        await GridEngineCluster.RequireAsync("-notify suspension → command suspended and resumed, D");
        await using var setup = await SchedulerJobSetup.StartAsync();
        // The command counts its own seconds: it must stop counting while the job is suspended.
        var id = await setup.Scenario.CreateAsync("sleep 25", name: "suspended");

        var job = await GridEngineCluster.StartRunningAsync(setup, id, JobTimeout);
        var jobText = job.ToString(CultureInfo.InvariantCulture);
        var suspend = await GridEngineCluster.ClientAsync("qmod", "-sj", jobText);
        Assert.True(suspend.Succeeded, suspend.ToString());
        await GridEngineCluster.WaitForStateAsync(job, "s", JobTimeout);

        // The command (its own session, so out of Grid Engine's reach) is stopped too.
        await setup.WaitForJobProcessesAsync(states => states.All(state => state == 'T'), "every process of the job stopped (T) while suspended");
        var resume = await GridEngineCluster.ClientAsync("qmod", "-usj", jobText);
        Assert.True(resume.Succeeded, resume.ToString());
        await setup.WaitForJobProcessesAsync(states => states.All(state => state != 'T'), "no process of the job stopped after the resumption");

        await GridEngineCluster.WaitForEndAsync(job, JobTimeout);
        await setup.AssertStatusAsync(id, "D");
    }

    [SkippableFact]
    public async Task Under_h_vmem_256M_the_worker_starts_and_the_command_runs()
    {
        await GridEngineCluster.RequireAsync("h_vmem=256M → the command runs");
        // A CoreCLR (JIT) worker reserves 2 GB of address space for code before any knob applies: only
        // the Native AOT build fits 256 MiB (see docs/schedulers.md). Said, not hidden.
        Skip.If(
            (await File.ReadAllBytesAsync(WorkerBinary.Path)).AsSpan().IndexOf("libcoreclr"u8) >= 0,
            $"Grid Engine check 'h_vmem=256M → the command runs' skipped: {WorkerBinary.Path} is a CoreCLR (JIT) build, which needs h_vmem of about 1.5 GiB; the Native AOT build runs under 256 MiB");
        await using var setup = await SchedulerJobSetup.StartAsync();
        var id = await setup.Scenario.CreateAsync("ulimit -v", name: "small");

        var job = await GridEngineCluster.SubmitAsync("worker-node.qsub", setup, setup.TemplateVariables(id), "-l", "h_vmem=256M");
        await GridEngineCluster.WaitForEndAsync(job, JobTimeout);

        await setup.AssertStatusAsync(id, "D");
        Assert.Equal("262144\n", await File.ReadAllTextAsync(Path.Combine(setup.Scenario.LogDirectory, $"small.o{job}")));
    }

    [SkippableFact]
    public async Task A_command_that_kills_itself_with_SIGKILL_shows_as_a_signal_death_in_qacct()
    {
        await GridEngineCluster.RequireAsync("signal-9 death → qacct as without the worker");
        await using var setup = await SchedulerJobSetup.StartAsync();
        var id = await setup.Scenario.CreateAsync("kill -9 $$", name: "suicide");

        var job = await GridEngineCluster.SubmitAsync("worker-node.qsub", setup, setup.TemplateVariables(id));
        var records = await GridEngineCluster.WaitForEndAsync(job, JobTimeout);

        await setup.AssertStatusAsync(id, "E");
        // Without the worker the job script dies of SIGKILL: "failed 100 : assumedly after job", exit_status 137.
        Assert.StartsWith("100", records[0]["failed"], StringComparison.Ordinal);
        Assert.StartsWith("137", records[0]["exit_status"], StringComparison.Ordinal);
    }
}
