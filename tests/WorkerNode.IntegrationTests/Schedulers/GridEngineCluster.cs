using System.Globalization;
using WorkerNode.IntegrationTests.Infrastructure;

namespace WorkerNode.IntegrationTests.Schedulers;

/// <summary>
/// The one-node Son of Grid Engine that scripts/schedulers/sge-up starts on this machine: whether it
/// answers, submitting the packaging templates to it, and reading its accounting (qacct).
/// </summary>
public static class GridEngineCluster
{
    /// <summary>What the clients need to find the cell (Debian's layout).</summary>
    public static IReadOnlyDictionary<string, string> ClientEnvironment { get; } = new Dictionary<string, string>
    {
        ["SGE_ROOT"] = "/var/lib/gridengine",
        ["SGE_CELL"] = "default",
    };

    private static readonly Lazy<Task<string?>> Unavailable = new(FindWhyUnavailableAsync);

    public static string Template(string name) => Path.Combine(RepositoryPaths.Root, "packaging", "uge", name);

    /// <summary>Skips the calling test, in one line naming <paramref name="part"/>, when Grid Engine does not run here.</summary>
    public static async Task RequireAsync(string part)
    {
        var reason = await Unavailable.Value;
        Skip.If(reason is not null, $"Grid Engine check '{part}' skipped: {reason}");
    }

    public static Task<ToolRun> ClientAsync(string program, params string[] arguments) =>
        ToolRun.RunAsync(program, arguments, ClientEnvironment);

    /// <summary>qsub of <paramref name="template"/> with <paramref name="variables"/> passed by -v and <paramref name="options"/>; the job id.</summary>
    public static async Task<long> SubmitAsync(string template, SchedulerJobSetup setup, IReadOnlyDictionary<string, string> variables, params string[] options)
    {
        var passed = string.Join(',', variables.Select(pair => $"{pair.Key}={pair.Value}"));
        var run = await ClientAsync("qsub", ["-terse", "-v", passed, "-o", setup.SchedulerOutput, "-e", setup.SchedulerOutput, .. options, Template(template)]);
        Assert.True(run.Succeeded, $"qsub {template}: {run}");
        // An array job answers 12.1-3:1.
        return long.Parse(run.Stdout.Trim().Split('.')[0], CultureInfo.InvariantCulture);
    }

    /// <summary>qsub of worker-node.qsub for task instance <paramref name="taskInstanceId"/>, then waits until the job runs (r) and the worker has logged running (R); the job id.</summary>
    public static async Task<long> StartRunningAsync(SchedulerJobSetup setup, long taskInstanceId, TimeSpan timeout)
    {
        var job = await SubmitAsync("worker-node.qsub", setup, setup.TemplateVariables(taskInstanceId));
        await WaitForStateAsync(job, "r", timeout);
        await setup.Scenario.WaitForStatusAsync(taskInstanceId, "R");
        return job;
    }

    /// <summary>Waits until qstat shows the job (every task of it) in state <paramref name="state"/> (e.g. "r").</summary>
    public static async Task WaitForStateAsync(long jobId, string state, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        var last = string.Empty;
        while (DateTime.UtcNow < deadline)
        {
            var run = await ClientAsync("qstat", "-u", "*");
            last = run.Stdout;
            var states = run.Stdout.Split('\n').Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
                .Where(fields => fields.Length > 4 && fields[0] == jobId.ToString(CultureInfo.InvariantCulture)).Select(fields => fields[4]).ToList();
            if (states.Count > 0 && states.All(s => s == state))
            {
                return;
            }

            await Task.Delay(250);
        }

        Assert.Fail($"Grid Engine job {jobId} never reached state {state} within {timeout.TotalSeconds} s; qstat: {last}");
    }

    /// <summary>
    /// Waits until the job has left qstat and qacct has its record(s) (<paramref name="tasks"/> of them for an array);
    /// returns each record as field → value (failed, exit_status, ...).
    /// </summary>
    public static async Task<List<Dictionary<string, string>>> WaitForEndAsync(long jobId, TimeSpan timeout, int tasks = 1)
    {
        var deadline = DateTime.UtcNow + timeout;
        var id = jobId.ToString(CultureInfo.InvariantCulture);
        while (DateTime.UtcNow < deadline)
        {
            var qstat = await ClientAsync("qstat", "-j", id);
            if (!qstat.Succeeded)
            {
                var qacct = await ClientAsync("qacct", "-j", id);
                var records = Records(qacct.Stdout);
                if (records.Count >= tasks)
                {
                    return records;
                }
            }

            await Task.Delay(500);
        }

        await ClientAsync("qdel", id);
        Assert.Fail($"Grid Engine job {jobId} did not end (with {tasks} accounting record(s)) within {timeout.TotalSeconds} s; deleted");
        return [];
    }

    private static List<Dictionary<string, string>> Records(string qacct)
    {
        var records = new List<Dictionary<string, string>>();
        Dictionary<string, string>? current = null;
        foreach (var line in qacct.Split('\n'))
        {
            if (line.StartsWith("=====", StringComparison.Ordinal))
            {
                current = [];
                records.Add(current);
                continue;
            }

            var fields = line.Split(' ', 2, StringSplitOptions.RemoveEmptyEntries);
            if (current is not null && fields.Length == 2)
            {
                current[fields[0]] = fields[1].Trim();
            }
        }

        return records;
    }

    private static async Task<string?> FindWhyUnavailableAsync()
    {
        var hosts = await ToolRun.RunAsync("qhost", [], ClientEnvironment, TimeSpan.FromSeconds(15));
        if (!hosts.Succeeded)
        {
            return $"no Grid Engine answers on this machine (qhost: {hosts.Stderr.Trim()} {hosts.Stdout.Trim()}); scripts/schedulers/sge-up starts one";
        }

        var queue = await ToolRun.RunAsync("qstat", ["-f", "-q", "all.q"], ClientEnvironment, TimeSpan.FromSeconds(15));
        var instance = queue.Stdout.Split('\n').FirstOrDefault(line => line.StartsWith("all.q@", StringComparison.Ordinal));
        return instance is not null && instance.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length == 5
            ? null
            : $"Grid Engine runs but its queue all.q takes no jobs ({instance?.Trim() ?? "no queue instance"}); scripts/schedulers/sge-up configures it";
    }
}
