namespace WorkerNode.IntegrationTests.Schedulers;

/// <summary>A command that outgrows Slurm's --mem under cgroup enforcement: the worker, not the kernel, stops it.</summary>
[Collection(SlurmCollection.Name)]
public sealed class SlurmMemoryTests
{
    private const int Runs = 10;

    // About 40 MiB/s of touched memory, forever.
    private const string Growing = "/usr/bin/python3 -c 'import time; a=[]; [(a.append(b\"x\" * (4 << 20)), time.sleep(0.1)) for _ in iter(int, 1)]'";

    [SkippableFact]
    public async Task A_command_growing_40_MiB_a_second_under_mem_200M_is_stopped_Z_by_the_worker_in_9_runs_of_10()
    {
        await SlurmCluster.RequireAsync("--mem=200M growing 40 MiB/s → Z by the worker");
        Skip.IfNot(File.Exists("/usr/bin/python3"), "Slurm check '--mem=200M growing 40 MiB/s' skipped: /usr/bin/python3 (the growing command) is not installed");
        await using var setup = await SchedulerJobSetup.StartAsync();
        var jobs = new List<(long Id, long Job)>();
        for (var run = 0; run < Runs; run++)
        {
            var id = await setup.Scenario.CreateAsync(Growing, name: $"grow{run}");
            jobs.Add((id, await SlurmCluster.SubmitAsync("worker-node.sbatch", setup, setup.TemplateVariables(id), "--mem=200M")));
        }

        var outcomes = new List<string>();
        foreach (var (id, job) in jobs)
        {
            await SlurmCluster.WaitForEndAsync(job, TimeSpan.FromMinutes(3));
            var instance = await setup.Scenario.InstanceAsync(id);
            var status = instance.GetProperty("status").GetString();
            var log = instance.GetProperty("error_log").EnumerateArray().ToList();
            var description = log.Count > 0 ? log[^1].GetProperty("description").GetString() ?? string.Empty : string.Empty;
            outcomes.Add($"{status}: {description[..Math.Min(description.Length, 300)]}");
        }

        var byWorker = outcomes.Count(outcome => outcome.StartsWith("Z: Memory limit", StringComparison.Ordinal));
        Assert.True(byWorker >= Runs - 1, $"stopped by the worker in {byWorker} of {Runs} runs:\n{string.Join('\n', outcomes)}\n{setup.SchedulerOutputText()}");
        Assert.All(outcomes, outcome => Assert.StartsWith("Z:", outcome, StringComparison.Ordinal));
        await setup.AssertNothingLeftBehindAsync();
    }
}
