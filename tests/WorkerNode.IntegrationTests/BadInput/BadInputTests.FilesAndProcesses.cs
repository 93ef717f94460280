using WorkerNode.IntegrationTests.Infrastructure;
using WorkerNode.IntegrationTests.Server;

namespace WorkerNode.IntegrationTests.BadInput;

/// <summary>The rows for files the worker creates and the command it runs (issue 14's rough edges).</summary>
public sealed partial class BadInputTests
{
    private static async Task<List<Row>> FileAndProcessRowsAsync(ServerScenario scenario, string files)
    {
        string[] unreachable = ["worker_node_job", "--task_instance_id", "1", "--cluster_name", "test", "--expected_jobmon_version", "3.4.0", "--service-url", $"http://127.0.0.1:{LoopbackPort.Closed()}"];
        var plainFile = Write(files, "stdout-dir-is-a-file", "x");
        var script = Write(files, "no-shebang", "echo ran-by-sh \"$1\"\n");
        File.SetUnixFileMode(script, (UnixFileMode)0x1ED);
        var open = Path.Combine(files, "open-to-all");
        Directory.CreateDirectory(open);
        File.SetUnixFileMode(open, (UnixFileMode)0x1FF);
        var link = Path.Combine(files, "linked.log");
        File.CreateSymbolicLink(link, Write(files, "link-victim", "keep\n"));
        var newLogs = Path.Combine(files, "new-parent", "logs");
        var rows = new List<Row>
        {
            new("output that cannot be written (/dev/full)", ["run", "--stdout", "/dev/full", "--", "echo", "hi"], null, 198, "3 bytes of stdout could not be written to /dev/full: No space left on device"),
            new("time limit, the command exits 0 on SIGTERM", ["run", "--time-limit", "1s", "--", "sh", "-c", "trap 'exit 0' TERM; sleep 30 & wait"], null, 124, null),
            new("missing log directories are created 0700", ["run", "--stdout", Path.Combine(newLogs, "out.log"), "--", "echo", "x"], null, 0, null)
            {
                Check = () => Task.FromResult(
                    new[] { Path.Combine(files, "new-parent"), newLogs }.FirstOrDefault(directory => File.GetUnixFileMode(directory) != (UnixFileMode)0x1C0) is { } loose
                        ? $"{loose} is {Convert.ToString((int)File.GetUnixFileMode(loose), 8)}, not 700"
                        : null),
            },
            new("the bearer token is not in the command's environment", ["run", "--", "sh", "-c", "env | grep -q tok-not-for-the-command && exit 9; exit 0"], new Dictionary<string, string?> { ["JOBMON__HTTP__AUTH_TOKEN"] = "tok-not-for-the-command" }, 0, null),
            new("spool directory unusable at start", [.. unreachable, "--spool-dir", "/proc/worker-node-no-spool-here"], null, 198, "unusable spool directory"),
            new("spool directory is a file", [.. unreachable, "--spool-dir", plainFile], null, 198, "is not a directory"),
            new("a script without a #! line", ["run", "--", script, "arg"], null, 0, null),
            new("command not found by absolute path", ["run", "--", "/no/such/dir/prog"], null, 127, "/no/such/dir/prog: command not found"),
            new("--report naming a directory", ["run", "--report", files, "--", "true"], null, 198, "is a directory"),
            new("--report in a world-writable directory without the sticky bit", ["run", "--report", Path.Combine(open, "r.json"), "--", "true"], null, 198, "writable by everyone and has no sticky bit"),
            new("--stdout naming a symlink", ["run", "--stdout", link, "--", "echo", "x"], null, 198, "symbolic link"),
        };

        rows.Add(await ServerRowAsync(scenario, "server: stdout_dir is a file", "echo never", plainFile, 198, "is not a directory", "E", "is not a directory"));
        rows.Add(await ServerRowAsync(scenario, "server: command string over 128 KiB", "true " + new string('a', 140_000), scenario.LogDirectory, 199, "128 KiB", "E", "128 KiB"));
        return rows;
    }
}
