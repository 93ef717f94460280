using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using WorkerNode.IntegrationTests.Harness;
using WorkerNode.IntegrationTests.Infrastructure;
using WorkerNode.IntegrationTests.Server;

namespace WorkerNode.IntegrationTests.Faults;

/// <summary>What the fault drills share: outages of the harness, the worker's log lines, the spool's files.</summary>
public static class Drill
{
    /// <summary>Generous: an outage ends on its own clock, and the harness then rebinds its port.</summary>
    private static readonly TimeSpan UpTimeout = TimeSpan.FromSeconds(90);

    /// <summary>The spool directory of a scenario (inside its log directory, so removed with it).</summary>
    public static string SpoolOf(ServerScenario scenario) => Path.Combine(scenario.LogDirectory, "spool");

    /// <summary>Takes the harness down for <paramref name="seconds"/> and returns once its port refuses connections.</summary>
    public static async Task TakeDownAsync(RunningHarness harness, double seconds)
    {
        await harness.ArmFaultAsync(new { mode = "down", seconds });
        await Eventually.HoldsAsync(async () => !await IsListeningAsync(harness), "the harness refuses connections");
    }

    /// <summary>
    /// Runs a worker for instance <paramref name="id"/> (spooling into <see cref="SpoolOf"/>), takes
    /// the harness down for <paramref name="seconds"/> once the command runs, and returns how the
    /// worker ended, and its pid. The outage may still be going on.
    /// </summary>
    public static async Task<(WorkerResult Result, int Pid)> RunThroughOutageAsync(ServerScenario scenario, long id, double seconds, params string[] flags)
    {
        await using var run = WorkerRun.Start(scenario.Job(id, [.. flags, "--spool-dir", SpoolOf(scenario)]), ServerScenario.SlurmJob);
        await scenario.WaitForStatusAsync(id, "R");
        await TakeDownAsync(scenario.Harness, seconds);
        return (await run.WaitAsync(TimeSpan.FromSeconds(seconds + 60)), run.Pid);
    }

    /// <summary>A command that prints 1 to <paramref name="count"/>, one a second: its log shows whether it ran undisturbed.</summary>
    public static string CountTo(int count) => $"for i in $(seq {count}); do echo $i; sleep 1; done";

    /// <summary>What <see cref="CountTo"/> prints.</summary>
    public static string CountedTo(int count) => string.Concat(Enumerable.Range(1, count).Select(i => $"{i}\n"));

    /// <summary>Returns once the harness listens again after an outage.</summary>
    public static Task WaitUntilUpAsync(RunningHarness harness) =>
        Eventually.HoldsAsync(() => IsListeningAsync(harness), "the harness listens again", UpTimeout);

    /// <summary>The worker's log lines at one level (DEBUG, INFO, WARN, ERROR) that contain <paramref name="text"/>, from stdout (server mode) or stderr (run).</summary>
    public static string[] Lines(WorkerResult result, string level, string text = "") =>
        [.. (result.Stdout + "\n" + result.Stderr).Split('\n').Where(line => line.Contains($" {level} ", StringComparison.Ordinal) && line.Contains(text, StringComparison.Ordinal))];

    /// <summary>Pending reports in a spool directory (none when it does not exist).</summary>
    public static string[] PendingIn(string spool) =>
        Directory.Exists(spool) ? Directory.GetFiles(spool, "*.json") : [];

    /// <summary>Every file in a spool directory, claims and rejected ones included.</summary>
    public static string[] AllIn(string spool) =>
        Directory.Exists(spool) ? Directory.GetFiles(spool) : [];

    /// <summary>The requests an instance received on one route, oldest first.</summary>
    public static async Task<JsonElement[]> RequestsAsync(ServerScenario scenario, long id, string route) =>
        [.. (await scenario.Harness.RequestsOfAsync(id)).Where(request => request.GetProperty("route").GetString() == route)];

    /// <summary>Requests that the harness applied (answered normally, not spoiled by a fault).</summary>
    public static int Applied(IEnumerable<JsonElement> requests) => requests.Count(request => request.GetProperty("applied").GetBoolean());

    /// <summary><c>worker-node spool flush --dir DIR</c> plus <paramref name="extra"/>, run to completion.</summary>
    public static Task<WorkerResult> FlushAsync(string spool, params string[] extra) =>
        WorkerRun.RunAsync(["spool", "flush", "--dir", spool, .. extra], timeout: TimeSpan.FromSeconds(60));

    private static async Task<bool> IsListeningAsync(RunningHarness harness)
    {
        using var probe = new TcpClient();
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        try
        {
            await probe.ConnectAsync(IPAddress.Loopback, harness.Server.Port, deadline.Token);
            return true;
        }
        catch (Exception exception) when (exception is SocketException or OperationCanceledException)
        {
            return false;
        }
    }
}
