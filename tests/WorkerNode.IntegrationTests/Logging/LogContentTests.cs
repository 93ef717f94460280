using WorkerNode.IntegrationTests.Infrastructure;
using WorkerNode.IntegrationTests.Server;

namespace WorkerNode.IntegrationTests.Logging;

/// <summary>What reaches the log: control bytes from a command or server escaped; config warnings named; server mode on stdout.</summary>
public sealed class LogContentTests
{
    [Fact]
    public async Task Control_bytes_from_the_servers_answer_are_escaped_in_the_log()
    {
        await using var scenario = await ServerScenario.StartAsync();

        // The server's stdout_dir (it reaches the ERROR line's message) and command (a DEBUG line's field).
        var id = await scenario.CreateAsync("true \u001b]0;pwned\u0007", logDirectory: "/proc/no-\u001b[2J-here");

        var result = await scenario.RunJobAsync(id, "--log-level", "debug");

        Assert.True(result.ExitCode == 198, result.ToString());
        var error = Assert.Single(result.Stdout.Split('\n'), line => line.Contains(" ERROR ", StringComparison.Ordinal));
        Assert.Contains("/proc/no-\\u001b[2J-here", error, StringComparison.Ordinal);
        Assert.DoesNotContain('\u001b', result.Stdout);
        Assert.DoesNotContain('\u0007', result.Stdout);
    }

    [Fact]
    public async Task Server_mode_logs_to_stdout_and_log_output_can_move_it()
    {
        await using var scenario = await ServerScenario.StartAsync();
        var first = await scenario.CreateAsync("true");
        var second = await scenario.CreateAsync("true");

        var byDefault = await scenario.RunJobAsync(first);
        var moved = await scenario.RunJobAsync(second, "--log-output", "stderr");

        Assert.Contains(" INFO ", byDefault.Stdout, StringComparison.Ordinal);
        Assert.Equal(string.Empty, byDefault.Stderr);
        Assert.Contains(" INFO ", moved.Stderr, StringComparison.Ordinal);
        Assert.Equal(string.Empty, moved.Stdout);
    }

    [Fact]
    public async Task A_misspelt_worker_node_key_is_warned_about_with_the_key_meant()
    {
        var directory = Directory.CreateTempSubdirectory("wn-typo-").FullName;
        try
        {
            var config = Path.Combine(directory, "jobmon.yaml");
            File.WriteAllText(config, "worker_node:\n  memory_limt: 4G\n");

            var result = await WorkerRun.RunAsync(["run", "--config", config, "--", "true"]);

            Assert.True(result.ExitCode == 0, result.ToString());
            var warning = Assert.Single(result.Stderr.Split('\n'), line => line.Contains(" WARN ", StringComparison.Ordinal));
            Assert.Contains("unknown key worker_node.memory_limt is ignored; did you mean worker_node.memory_limit?", warning, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
