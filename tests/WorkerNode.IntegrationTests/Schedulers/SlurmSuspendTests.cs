using System.Globalization;

namespace WorkerNode.IntegrationTests.Schedulers;

/// <summary>
/// `scontrol suspend` / `scontrol resume` on the real Slurm: the command runs in a session of its own, out of reach
/// of anything that signals the job's process group, yet it must be suspended and resumed with the job. With
/// proctrack/cgroup slurmstepd freezes the step's freezer cgroup (the command is in it: a cgroup is inherited
/// whatever the session), so a frozen process shows state D; with proctrack/linuxproc it sends SIGSTOP (state T)
/// to every process it tracks by descent.
/// </summary>
[Collection(SlurmCollection.Name)]
public sealed class SlurmSuspendTests
{
    [SkippableFact]
    public async Task A_suspended_job_suspends_the_command_and_resumes_it_which_then_ends_D()
    {
        await SlurmCluster.RequireAsync("scontrol suspend/resume → command suspended and resumed, D");
        await using var setup = await SchedulerJobSetup.StartAsync();
        var id = await setup.Scenario.CreateAsync("sleep 20", name: "suspended");

        var job = await SlurmCluster.StartRunningAsync(setup, id, "--mem=1G");
        var jobText = job.ToString(CultureInfo.InvariantCulture);
        var suspend = await ToolRun.RunAsync("scontrol", ["suspend", jobText]);
        Assert.True(suspend.Succeeded, suspend.ToString());

        await setup.WaitForJobProcessesAsync(states => states.All(state => state is 'D' or 'T'), "every process of the job, the command's session included, frozen (D) or stopped (T)");
        Assert.Equal("SUSPENDED", (await ToolRun.RunAsync("squeue", ["-h", "-j", jobText, "-o", "%T"])).Stdout.Trim());
        var resume = await ToolRun.RunAsync("scontrol", ["resume", jobText]);
        Assert.True(resume.Succeeded, resume.ToString());
        await setup.WaitForJobProcessesAsync(states => states.All(state => state is not ('D' or 'T')), "no process of the job frozen or stopped after the resumption");

        var (state, _) = await SlurmCluster.WaitForEndAsync(job, TimeSpan.FromSeconds(120));
        await setup.AssertStatusAsync(id, "D");
        Assert.Equal("COMPLETED", state);
        await setup.AssertNothingLeftBehindAsync();
    }
}
