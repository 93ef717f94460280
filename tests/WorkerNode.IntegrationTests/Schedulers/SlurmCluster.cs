using System.Globalization;
using WorkerNode.IntegrationTests.Infrastructure;

namespace WorkerNode.IntegrationTests.Schedulers;

/// <summary>
/// The one-node Slurm that scripts/schedulers/slurm-up starts on this machine: whether it answers,
/// submitting the packaging templates to it, and reading its accounting.
/// </summary>
public static class SlurmCluster
{
    private static readonly Lazy<Task<string?>> Unavailable = new(FindWhyUnavailableAsync);

    private static readonly string[] TerminalStates =
        ["COMPLETED", "FAILED", "TIMEOUT", "CANCELLED", "OUT_OF_MEMORY", "NODE_FAIL", "PREEMPTED", "BOOT_FAIL", "DEADLINE"];

    public static string Template(string name) => Path.Combine(RepositoryPaths.Root, "packaging", "slurm", name);

    /// <summary>Skips the calling test, in one line naming <paramref name="part"/>, when Slurm does not run here.</summary>
    public static async Task RequireAsync(string part)
    {
        var reason = await Unavailable.Value;
        Skip.If(reason is not null, $"Slurm check '{part}' skipped: {reason}");
    }

    /// <summary>sbatch of <paramref name="template"/> with <paramref name="options"/>; the job id.</summary>
    public static async Task<long> SubmitAsync(string template, SchedulerJobSetup setup, IReadOnlyDictionary<string, string> variables, params string[] options)
    {
        var run = await ToolRun.RunAsync(
            "sbatch",
            ["--parsable", "--export=ALL", "--output", Path.Combine(setup.SchedulerOutput, "%x.out.%j"), "--error", Path.Combine(setup.SchedulerOutput, "%x.err.%A_%a"), .. options, Template(template)],
            variables);
        Assert.True(run.Succeeded, $"sbatch {template}: {run}");
        return long.Parse(run.Stdout.Trim().Split(';')[0], CultureInfo.InvariantCulture);
    }

    /// <summary>The job's own line of sacct (not its steps) once the job has ended and the line is in the database: state and exit code (e.g. <c>0:9</c>).</summary>
    public static async Task<(string State, string ExitCode)> WaitForEndAsync(long jobId, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        var last = string.Empty;
        while (DateTime.UtcNow < deadline)
        {
            var run = await ToolRun.RunAsync("sacct", ["-j", jobId.ToString(CultureInfo.InvariantCulture), "-X", "-n", "-P", "-o", "State,ExitCode"]);
            last = run.Stdout.Trim();
            var lines = last.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            if (lines.Length > 0 && lines.All(line => TerminalStates.Contains(line.Split('|')[0].Split(' ')[0])))
            {
                var fields = lines[0].Split('|');
                return (fields[0].Split(' ')[0], fields[1]);
            }

            await Task.Delay(500);
        }

        await ToolRun.RunAsync("scancel", [jobId.ToString(CultureInfo.InvariantCulture)]);
        Assert.Fail($"Slurm job {jobId} did not end within {timeout.TotalSeconds} s (last sacct: '{last}'); cancelled");
        return default;
    }

    /// <summary>sacct's lines (JobID|State|ExitCode) for elements 0 to <paramref name="elements"/> - 1 of an array job, once all have ended.</summary>
    public static async Task<string[]> WaitForArrayEndAsync(long jobId, int elements, TimeSpan timeout)
    {
        var ids = string.Join(',', Enumerable.Range(0, elements).Select(element => $"{jobId}_{element}"));
        var deadline = DateTime.UtcNow + timeout;
        string[] lines = [];
        while (DateTime.UtcNow < deadline)
        {
            var run = await ToolRun.RunAsync("sacct", ["-j", ids, "-X", "-n", "-P", "-o", "JobID,State,ExitCode"]);
            lines = run.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            if (lines.Length == elements && lines.All(line => TerminalStates.Contains(line.Split('|')[1].Split(' ')[0])))
            {
                return [.. lines.Order()];
            }

            await Task.Delay(500);
        }

        await ToolRun.RunAsync("scancel", [jobId.ToString(CultureInfo.InvariantCulture)]);
        Assert.Fail($"Slurm array job {jobId} did not end within {timeout.TotalSeconds} s (last sacct: '{string.Join(" / ", lines)}'); cancelled");
        return [];
    }

    /// <summary>sbatch of worker-node.sbatch for task instance <paramref name="taskInstanceId"/>, then waits until the job runs and the worker has logged running (R); the job id.</summary>
    public static async Task<long> StartRunningAsync(SchedulerJobSetup setup, long taskInstanceId, params string[] options)
    {
        var job = await SubmitAsync("worker-node.sbatch", setup, setup.TemplateVariables(taskInstanceId), options);
        await WaitForRunningAsync(job, TimeSpan.FromSeconds(60));
        await setup.Scenario.WaitForStatusAsync(taskInstanceId, "R");
        return job;
    }

    /// <summary>Waits until the job runs (its batch step has started).</summary>
    public static async Task WaitForRunningAsync(long jobId, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            var run = await ToolRun.RunAsync("squeue", ["-h", "-j", jobId.ToString(CultureInfo.InvariantCulture), "-o", "%T"]);
            if (run.Stdout.Trim() == "RUNNING")
            {
                return;
            }

            await Task.Delay(200);
        }

        Assert.Fail($"Slurm job {jobId} did not start within {timeout.TotalSeconds} s");
    }

    /// <summary>A value of `scontrol show config` (e.g. KillWait → "5 sec").</summary>
    public static async Task<string?> ConfigAsync(string key)
    {
        var run = await ToolRun.RunAsync("scontrol", ["show", "config"]);
        return run.Stdout.Split('\n').Select(line => line.Split('=', 2)).Where(parts => parts.Length == 2 && parts[0].Trim() == key).Select(parts => parts[1].Trim()).FirstOrDefault();
    }

    private static async Task<string?> FindWhyUnavailableAsync()
    {
        var ping = await ToolRun.RunAsync("scontrol", ["ping"], timeout: TimeSpan.FromSeconds(15));
        if (!ping.Succeeded || !ping.Stdout.Contains("UP", StringComparison.Ordinal))
        {
            return $"no Slurm answers on this machine (scontrol ping: {ping.Stdout.Trim()} {ping.Stderr.Trim()}); scripts/schedulers/slurm-up starts one";
        }

        var accounting = await ToolRun.RunAsync("sacct", ["-n", "-X", "-j", "1"], timeout: TimeSpan.FromSeconds(15));
        return accounting.Succeeded ? null : $"Slurm runs but its accounting does not answer (sacct: {accounting.Stderr.Trim()}); scripts/schedulers/slurm-up starts slurmdbd";
    }
}
