using System.Text.Json;
using WorkerNode.IntegrationTests.Infrastructure;
using WorkerNode.IntegrationTests.Server;

namespace WorkerNode.IntegrationTests.Build;

/// <summary>
/// The published binary on an older system than the build machine's: the main paths of both modes
/// inside a Debian 11 root (glibc 2.31; RHEL 8 has 2.28), run through scripts/in-bullseye.
/// </summary>
public sealed class BullseyeTests
{
    private const string Worker = "/opt/worker-node/worker-node";
    private const string EntryPoint = "/opt/worker-node/worker_node_entry_point";

    [SkippableFact]
    public async Task Version_prints_one_line_and_exits_0()
    {
        BullseyeRoot.Instance.SkipUnlessAvailable();
        using var upper = BullseyeRoot.WithWorker();

        var result = await InBullseye(upper, Worker, "--version");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Matches(@"^worker-node \d+\.\d+\.\d+", result.Stdout);
    }

    [SkippableFact]
    public async Task Run_passes_the_commands_output_through()
    {
        BullseyeRoot.Instance.SkipUnlessAvailable();
        using var upper = BullseyeRoot.WithWorker();

        // The command proves where it ran: bullseye's own /etc/debian_version.
        var result = await InBullseye(upper, Worker, "run", "--", "/bin/sh", "-c", "/bin/echo hello from $(cat /etc/debian_version)");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Matches(@"^hello from 11\.\d+\n$", result.Stdout);
    }

    [SkippableFact]
    public async Task The_commands_exit_status_is_passed_through_the_entry_point_link()
    {
        BullseyeRoot.Instance.SkipUnlessAvailable();
        using var upper = BullseyeRoot.WithWorker();

        var result = await InBullseye(upper, EntryPoint, "run", "--", "/bin/sh", "-c", "exit 7");

        Assert.True(result.ExitCode == 7, result.ToString());
    }

    [SkippableFact]
    public async Task A_time_limit_stops_the_command()
    {
        BullseyeRoot.Instance.SkipUnlessAvailable();
        using var upper = BullseyeRoot.WithWorker();

        var result = await InBullseye(upper, Worker, "run", "--time-limit", "1s", "--command-interrupt-timeout", "1", "--report", "/tmp/report.json", "--", "/bin/sleep", "60");

        Assert.NotEqual(0, result.ExitCode);
        Assert.True(result.Elapsed < TimeSpan.FromSeconds(30), result.ToString());
        using var report = JsonDocument.Parse(File.ReadAllText(upper.Inside("/tmp/report.json")));
        Assert.Equal("time_limit", report.RootElement.GetProperty("stopped_by").GetString());
    }

    [SkippableFact]
    public async Task A_server_task_is_run_and_reported_done_through_the_entry_point_link()
    {
        BullseyeRoot.Instance.SkipUnlessAvailable();
        using var upper = BullseyeRoot.WithWorker();
        await using var scenario = await ServerScenario.StartAsync();
        // The log directory is inside the root (the worker creates it there, in the overlay).
        var id = await scenario.CreateAsync("echo done on $(cat /etc/debian_version)", name: "older", logDirectory: "/tmp/logs");

        var result = await InBullseye(upper, scenario.Job(id).Prepend(EntryPoint).ToArray(), ServerScenario.SlurmJob);

        Assert.True(result.ExitCode == 0, result.ToString());
        var instance = await scenario.InstanceAsync(id);
        Assert.Equal("D", instance.GetProperty("status").GetString());
        var done = Assert.Single(await scenario.BodiesAsync(id, "log_done"));
        Assert.Matches(@"^done on 11\.\d+\n$", done.GetProperty("stdout_log").GetString());
        Assert.Matches(@"^done on 11\.\d+\n$", File.ReadAllText(upper.Inside($"/tmp/logs/older.o{ServerScenario.DistributorId}")));
    }

    private static Task<WorkerResult> InBullseye(UpperDirectory upper, params string[] command) =>
        InBullseye(upper, command, null);

    private static Task<WorkerResult> InBullseye(UpperDirectory upper, string[] command, IReadOnlyDictionary<string, string?>? environment) =>
        WorkerRun.RunAsync([upper.Path, .. command], environment, TimeSpan.FromSeconds(90), program: BullseyeRoot.Runner);
}
