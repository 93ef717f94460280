using System.Globalization;

namespace WorkerNode.IntegrationTests.Schedulers;

/// <summary>What the real Slurm does to a job (its time limit, scancel under a short KillWait, a signal death) and what the worker makes of it.</summary>
[Collection(SlurmCollection.Name)]
public sealed class SlurmBehaviourTests
{
    [SkippableFact]
    public async Task A_two_minute_time_limit_without_SLURM_JOB_END_TIME_is_Z_from_the_worker_not_TIMEOUT()
    {
        await SlurmCluster.RequireAsync("--time=2 → Z, not TIMEOUT");
        await using var setup = await SchedulerJobSetup.StartAsync();
        var id = await setup.Scenario.CreateAsync("sleep 600", name: "slow");

        var job = await SlurmCluster.SubmitAsync("worker-node.sbatch", setup, setup.TemplateVariables(id), "--mem=1G", "--time=2");
        var (state, exitCode) = await SlurmCluster.WaitForEndAsync(job, TimeSpan.FromMinutes(4));

        var instance = await setup.Scenario.InstanceAsync(id);
        var output = setup.SchedulerOutputText();
        Assert.True(instance.GetProperty("status").GetString() == "Z", $"status {instance.GetProperty("status")}; {output}");
        var description = instance.GetProperty("error_log").EnumerateArray().Last().GetProperty("description").GetString();
        Assert.Contains("time limit", description, StringComparison.OrdinalIgnoreCase);
        Assert.Contains($"scontrol show job {job}", description, StringComparison.Ordinal);
        Assert.NotEqual("TIMEOUT", state);
        Assert.Contains("enforcing the scheduler's time limit", output, StringComparison.Ordinal);
        // The margin of a 2-minute limit is sized from it (TimeMargin: 15 s), not the flat 60 s: stopped at about 1:45.
        Assert.Contains("minus 00:00:15 margin", description, StringComparison.Ordinal);
        var elapsed = await ToolRun.RunAsync("sacct", ["-j", job.ToString(CultureInfo.InvariantCulture), "-X", "-n", "-P", "-o", "ElapsedRaw"]);
        var seconds = int.Parse(elapsed.Stdout.Trim(), CultureInfo.InvariantCulture);
        Assert.True(seconds is >= 100 and < 120, $"the job ran {seconds} s of its 120 s; {output}");
        _ = exitCode;
        await setup.AssertNothingLeftBehindAsync();
    }

    [SkippableFact]
    public async Task Scancel_of_a_command_that_ignores_SIGTERM_under_a_5_s_KillWait_still_reaches_the_server()
    {
        await SlurmCluster.RequireAsync("KillWait 5 s + scancel → outcome on the server");
        Assert.Equal("5 sec", await SlurmCluster.ConfigAsync("KillWait"));
        await using var setup = await SchedulerJobSetup.StartAsync();
        var id = await setup.Scenario.CreateAsync("trap '' TERM; sleep 600", name: "stubborn");

        var job = await SlurmCluster.StartRunningAsync(setup, id, "--mem=1G");
        await Task.Delay(TimeSpan.FromSeconds(2));
        var cancel = await ToolRun.RunAsync("scancel", [job.ToString(CultureInfo.InvariantCulture)]);
        Assert.True(cancel.Succeeded, cancel.ToString());
        await SlurmCluster.WaitForEndAsync(job, TimeSpan.FromSeconds(60));

        // sacct says CANCELLED at once; the job's processes end within KillWait.
        await setup.AssertNothingLeftBehindAsync(TimeSpan.FromSeconds(30));
        await setup.AssertStatusAsync(id, "E");
    }

    [SkippableFact]
    public async Task A_command_that_kills_itself_with_SIGKILL_shows_as_a_signal_9_death_in_sacct()
    {
        await SlurmCluster.RequireAsync("signal-9 death → sacct 0:9");
        await using var setup = await SchedulerJobSetup.StartAsync();
        var id = await setup.Scenario.CreateAsync("kill -9 $$", name: "suicide");

        var job = await SlurmCluster.SubmitAsync("worker-node.sbatch", setup, setup.TemplateVariables(id), "--mem=1G");
        var (state, exitCode) = await SlurmCluster.WaitForEndAsync(job, TimeSpan.FromSeconds(120));

        await setup.AssertStatusAsync(id, "E");
        // Without the worker, the same command shows FAILED 0:9 (exit 137 would show 137:0 or 9:0).
        Assert.Equal(("FAILED", "0:9"), (state, exitCode));
        await setup.AssertNothingLeftBehindAsync();
    }
}
