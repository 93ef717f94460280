using System.Globalization;
using WorkerNode.IntegrationTests.Harness;
using WorkerNode.IntegrationTests.Infrastructure;
using WorkerNode.IntegrationTests.Server;

namespace WorkerNode.IntegrationTests.Schedulers;

/// <summary>
/// What a job submitted from a packaging template needs around it: a running harness (through
/// <see cref="ServerScenario"/>), a configuration file pointing the worker at it, a spool of its own,
/// a directory for the scheduler's own output files, and a marker variable every process of the job
/// inherits, so the test can tell that none outlives the job.
/// </summary>
public sealed class SchedulerJobSetup : IAsyncDisposable
{
    public const string MarkerVariable = "WN_SCHED_TEST_MARKER";

    private SchedulerJobSetup(ServerScenario scenario, string directory)
    {
        Scenario = scenario;
        Directory = directory;
        System.IO.Directory.CreateDirectory(SpoolDirectory);
        System.IO.Directory.CreateDirectory(SchedulerOutput);
        ConfigFile = Path.Combine(directory, "jobmon.yaml");
        File.WriteAllText(ConfigFile, $"""
            http:
              service_url: {scenario.Harness.Server.BaseUrl.ToString().TrimEnd('/')}
            heartbeat:
              # Heartbeats are not what these tests check: on a busy machine a 1 s interval (3 s to
              # the server's give-up) made the worker stop the command as having lost its server.
              task_instance_interval: 10
            worker_node:
              spool_dir: {SpoolDirectory}

            """);
    }

    public ServerScenario Scenario { get; }

    /// <summary>A directory of the test's own, removed on dispose.</summary>
    public string Directory { get; }

    public string ConfigFile { get; }

    public string SpoolDirectory => Path.Combine(Directory, "spool");

    /// <summary>Where the scheduler writes the job's own stdout/stderr (the worker's log lines).</summary>
    public string SchedulerOutput => Path.Combine(Directory, "scheduler-output");

    public string Marker { get; } = Guid.NewGuid().ToString("N");

    public static async Task<SchedulerJobSetup> StartAsync() =>
        new(await ServerScenario.StartAsync(), System.IO.Directory.CreateTempSubdirectory("wn-sched-").FullName);

    /// <summary>The variables the packaging templates read, for one task instance (or one array batch).</summary>
    public Dictionary<string, string> TemplateVariables(long? taskInstanceId = null, long? arrayId = null, long batchNumber = 0, string clusterName = "test")
    {
        var variables = new Dictionary<string, string>
        {
            ["WORKER_NODE_ENTRY_POINT"] = WorkerBinary.Path,
            ["JOBMON__CONFIG_FILE"] = ConfigFile,
            ["WN_CLUSTER_NAME"] = clusterName,
            ["WN_JOBMON_VERSION"] = "3.4.0",
            [MarkerVariable] = Marker,
        };
        if (taskInstanceId is { } id)
        {
            variables["WN_TASK_INSTANCE_ID"] = id.ToString(CultureInfo.InvariantCulture);
        }

        if (arrayId is { } array)
        {
            variables["WN_ARRAY_ID"] = array.ToString(CultureInfo.InvariantCulture);
            variables["WN_BATCH_NUMBER"] = batchNumber.ToString(CultureInfo.InvariantCulture);
        }

        return variables;
    }

    /// <summary>The scheduler's output files' text (the worker's own log lines go to stderr).</summary>
    public string SchedulerOutputText() =>
        string.Join("\n", System.IO.Directory.EnumerateFiles(SchedulerOutput).Order().Select(file => $"--- {Path.GetFileName(file)}\n{File.ReadAllText(file)}"));

    /// <summary>Reports left in the spool (pending or claimed).</summary>
    public string[] SpooledReports() => System.IO.Directory.EnumerateFiles(SpoolDirectory, "*", SearchOption.AllDirectories).ToArray();

    /// <summary>Waits (bounded) until no process carries this setup's marker; returns those still there.</summary>
    public async Task<List<int>> LeftBehindAsync(TimeSpan? within = null)
    {
        var deadline = DateTime.UtcNow + (within ?? TimeSpan.FromSeconds(10));
        while (true)
        {
            var left = ProcessScan.WithEnvironment(MarkerVariable, Marker);
            if (left.Count == 0 || DateTime.UtcNow > deadline)
            {
                return left;
            }

            await Task.Delay(200);
        }
    }

    /// <summary>Fails, naming them, when processes of the job are still there after <paramref name="within"/> (10 s by default).</summary>
    public async Task AssertNothingLeftBehindAsync(TimeSpan? within = null)
    {
        var left = await LeftBehindAsync(within);
        Assert.True(left.Count == 0, $"left behind: {Describe(left)}");
    }

    /// <summary>Fails, with the spool and the scheduler's output files, unless the harness shows <paramref name="expected"/> for <paramref name="taskInstanceId"/>.</summary>
    public async Task AssertStatusAsync(long taskInstanceId, string expected)
    {
        var status = await Scenario.Harness.StatusOfAsync(taskInstanceId);
        Assert.True(status == expected, $"status {status}, not {expected}; spooled: {string.Join(", ", SpooledReports())}; {SchedulerOutputText()}");
    }

    /// <summary>
    /// Waits (20 s at most, then fails naming <paramref name="what"/> and the states seen) until the job has
    /// processes and their states (/proc's R, S, T...) satisfy <paramref name="holds"/>.
    /// </summary>
    public async Task WaitForJobProcessesAsync(Func<List<char?>, bool> holds, string what)
    {
        List<char?> states = [];
        try
        {
            await Eventually.HoldsAsync(
                () =>
                {
                    states = ProcessScan.WithEnvironment(MarkerVariable, Marker).Select(ProcessScan.State).ToList();
                    return Task.FromResult(states.Count > 0 && holds(states));
                },
                what);
        }
        catch (Xunit.Sdk.FailException)
        {
            Assert.Fail($"{what}: not so; process states {string.Join(',', states)}; {SchedulerOutputText()}");
        }
    }

    /// <summary>Kills what is left (so the machine stays clean) and describes it.</summary>
    public string Describe(List<int> pids) =>
        string.Join(", ", pids.Select(pid => $"{pid} ({ReadComm(pid)})"));

    public async ValueTask DisposeAsync()
    {
        foreach (var pid in ProcessScan.WithEnvironment(MarkerVariable, Marker))
        {
            try
            {
                System.Diagnostics.Process.GetProcessById(pid).Kill();
            }
            catch (Exception exception) when (exception is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
            {
                // Already gone.
            }
        }

        await Scenario.DisposeAsync();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // A job's file still being written by a late daemon; the temporary directory is the system's to clean.
        }
    }

    private static string ReadComm(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/comm").Trim();
        }
        catch (IOException)
        {
            return "gone";
        }
    }
}
