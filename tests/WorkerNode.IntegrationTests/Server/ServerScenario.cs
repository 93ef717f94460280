using System.Globalization;
using System.Text.Json;
using WorkerNode.IntegrationTests.Harness;
using WorkerNode.IntegrationTests.Infrastructure;

namespace WorkerNode.IntegrationTests.Server;

/// <summary>An in-process harness, a log directory, and the command line of a worker pointed at them.</summary>
public sealed class ServerScenario : IAsyncDisposable
{
    /// <summary>The distributor id the tests' Slurm environment gives every worker.</summary>
    public const string DistributorId = "4242";

    private ServerScenario(RunningHarness harness, string logDirectory)
    {
        Harness = harness;
        LogDirectory = logDirectory;
    }

    public RunningHarness Harness { get; }

    public string LogDirectory { get; }

    /// <summary>A Slurm job environment, so the distributor id (and log file names) are known.</summary>
    public static IReadOnlyDictionary<string, string?> SlurmJob { get; } = new Dictionary<string, string?> { ["SLURM_JOB_ID"] = DistributorId };

    public static async Task<ServerScenario> StartAsync(WorkerNode.Harness.Hosting.HarnessOptions? options = null) =>
        new(await RunningHarness.StartAsync(options), Directory.CreateTempSubdirectory("wn-server-").FullName);

    /// <summary>Creates a task instance whose logs go to <see cref="LogDirectory"/>.</summary>
    public Task<long> CreateAsync(string command, string name = "task", string? logDirectory = null) =>
        Harness.CreateTaskInstanceAsync(new { command, name, stdout_dir = logDirectory ?? LogDirectory, stderr_dir = logDirectory ?? LogDirectory });

    /// <summary>worker_node_job for <paramref name="taskInstanceId"/> against this harness, heartbeating every second.</summary>
    public string[] Job(long taskInstanceId, params string[] extra) =>
    [
        "worker_node_job",
        "--task_instance_id", taskInstanceId.ToString(CultureInfo.InvariantCulture),
        "--cluster_name", "test",
        "--expected_jobmon_version", "3.4.0",
        .. Server(extra),
    ];

    /// <summary>The server flags every worker of this scenario gets (heartbeats every second unless <paramref name="extra"/> says otherwise).</summary>
    public string[] Server(params string[] extra) =>
    [
        "--service-url", Harness.Server.BaseUrl.ToString().TrimEnd('/'),
        .. extra.Contains("--heartbeat-interval") ? Array.Empty<string>() : ["--heartbeat-interval", "1"],
        .. extra,
    ];

    public Task<WorkerResult> RunJobAsync(long taskInstanceId, params string[] extra) =>
        WorkerRun.RunAsync(Job(taskInstanceId, extra), SlurmJob);

    public string LogFile(string name, char stream) => Path.Combine(LogDirectory, $"{name}.{stream}{DistributorId}");

    public async Task<JsonElement> InstanceAsync(long id) => await Harness.TaskInstanceAsync(id);

    /// <summary>The bodies of the requests this instance received on one route, oldest first.</summary>
    public async Task<JsonElement[]> BodiesAsync(long id, string route) =>
        [.. (await Harness.RequestsOfAsync(id)).Where(request => request.GetProperty("route").GetString() == route).Select(request => request.GetProperty("body"))];

    /// <summary>Waits until the harness shows the instance in <paramref name="status"/>.</summary>
    public async Task WaitForStatusAsync(long id, string status)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (await Harness.StatusOfAsync(id) != status)
        {
            Assert.True(DateTime.UtcNow < deadline, $"task instance {id} never reached status {status}");
            await Task.Delay(25);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Harness.DisposeAsync();
        Directory.Delete(LogDirectory, recursive: true);
    }
}
