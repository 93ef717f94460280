using System.Diagnostics;
using System.Globalization;
using WorkerNode.IntegrationTests.Infrastructure;
using WorkerNode.IntegrationTests.Server;

namespace WorkerNode.IntegrationTests.Logging;

/// <summary>
/// The worker's own log never holds up its work (issue 12): stdout and stderr that are pipes nobody reads,
/// /dev/full, a closed descriptor. The task still heartbeats, ends D, and the worker exits.
/// </summary>
public sealed class BlockedLogTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task A_worker_whose_stdout_and_stderr_are_full_pipes_ends_its_task_D_and_exits()
    {
        await using var scenario = await ServerScenario.StartAsync();
        using var stdout = new UnreadPipe();
        using var stderr = new UnreadPipe();
        Assert.True(stdout.Capacity <= 4096, $"the pipe holds {stdout.Capacity} bytes");
        var id = await scenario.CreateAsync("sleep 20");

        var exitCode = await RunRedirectedAsync(
            scenario.Job(id, "--heartbeat-interval", "0.2", "--report-by-buffer", "50", "--log-level", "debug"),
            $">{stdout.WritePath} 2>{stderr.WritePath}");

        Assert.Equal(0, exitCode);
        Assert.Equal("D", await scenario.Harness.StatusOfAsync(id));
        Assert.True((await scenario.BodiesAsync(id, "log_report_by")).Length >= 20, "heartbeats stopped while the log was blocked");
    }

    [Theory]
    [InlineData(">/dev/full 2>/dev/full")]
    [InlineData(">&- 2>&-")]
    [InlineData(">/dev/full 2>&-")]
    public async Task A_server_task_whose_log_cannot_be_written_ends_D(string redirections)
    {
        await using var scenario = await ServerScenario.StartAsync();
        var id = await scenario.CreateAsync("echo out; echo err >&2");

        var exitCode = await RunRedirectedAsync(scenario.Job(id, "--heartbeat-interval", "0.2", "--report-by-buffer", "50", "--log-level", "debug"), redirections);

        Assert.Equal(0, exitCode);
        Assert.Equal("D", await scenario.Harness.StatusOfAsync(id));
    }

    [Theory]
    [InlineData("2>/dev/full")]
    [InlineData("2>&-")]
    public async Task A_standalone_run_whose_log_cannot_be_written_keeps_the_commands_status(string redirections)
    {
        var exitCode = await RunRedirectedAsync(["run", "--log-level", "debug", "--", "sh", "-c", "exit 3"], redirections);

        Assert.Equal(3, exitCode);
    }

    /// <summary>Runs the worker through sh with the given redirections of its stdout and stderr; its exit status.</summary>
    private static async Task<int> RunRedirectedAsync(string[] arguments, string redirections, IReadOnlyDictionary<string, string?>? environment = null)
    {
        var start = new ProcessStartInfo("/bin/sh") { UseShellExecute = false, RedirectStandardInput = true };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add($"exec \"$0\" \"$@\" {redirections}");
        start.ArgumentList.Add(WorkerBinary.Path);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment ?? ServerScenario.SlurmJob)
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        process.StandardInput.Close();
        using var timeout = new CancellationTokenSource(Bound);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"the worker did not exit within {Bound.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s: its log blocked it");
        }

        return process.ExitCode;
    }
}
