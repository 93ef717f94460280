using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using WorkerNode.IntegrationTests.Faults;
using WorkerNode.IntegrationTests.Infrastructure;
using WorkerNode.IntegrationTests.Server;

namespace WorkerNode.IntegrationTests.BadInput;

/// <summary>
/// Every kind of bad input, as one table: each flag, config key and variable with a wrong type, a
/// wrong range or garbage; missing, unreadable and malformed config files; an unusable log
/// directory; a command that does not exist; a non-numeric id; a server that answers garbage. Each
/// row ends with the documented status and exactly one clear line (an ERROR line, or the usage
/// line), no stack trace, no crash, no hang.
/// </summary>
public sealed partial class BadInputTests
{
    private static readonly TimeSpan RowTimeout = TimeSpan.FromSeconds(30);

    /// <summary>Each configuration key: its flag (if any), a bad value, and what the one line must say.</summary>
    private static readonly (string Key, string? Flag, string Value, string Says)[] Keys =
    [
        ("http.service_url", "--service-url", "notaurl", "is not an absolute http:// or https:// URL"),
        ("http.route_prefix", "--route-prefix", "api/v3", "must start with /"),
        ("http.request_timeout", "--request-timeout", "abc", "is not a number of seconds"),
        ("http.retries_attempts", "--retries-attempts", "0", "must be at least 1"),
        ("http.retries_timeout", "--retries-timeout", "-1", "must be greater than 0"),
        ("http.auth_token", null, "two words", "holds a space"),
        ("http.auth_token_file", null, "/nonexistent/token", "http.auth_token_file /nonexistent/token: cannot read"),
        ("http.ca_bundle", null, "/nonexistent/ca.pem", "http.ca_bundle /nonexistent/ca.pem: cannot read"),
        ("heartbeat.task_instance_interval", "--heartbeat-interval", "0", "must be greater than 0"),
        ("heartbeat.report_by_buffer", "--report-by-buffer", "0.5", "must be at least 1"),
        ("worker_node.command_interrupt_timeout", "--command-interrupt-timeout", "soon", "is not a number of seconds"),
        ("worker_node.time_limit", "--time-limit", "forever", "is not a duration"),
        ("worker_node.memory_limit", "--memory-limit", "lots", "is not a size"),
        ("worker_node.limits_from_scheduler", "--limits-from-scheduler", "perhaps", "is not a boolean"),
        ("worker_node.memory_margin", "--memory-margin", "150%", "must be at least 0 and less than 1"),
        ("worker_node.time_margin", "--time-margin", "later", "is not a number of seconds"),
        ("worker_node.memory_metric", "--memory-metric", "vss", "must be rss or pss"),
        ("worker_node.sample_interval", "--sample-interval", "0", "must be greater than 0"),
        ("worker_node.on_lost_server", "--on-lost-server", "maybe", "must be stop or continue"),
        ("worker_node.spool_dir", "--spool-dir", "relative/spool", "must be an absolute path"),
        ("worker_node.metrics_dir", "--metrics-dir", "relative/metrics", "must be an absolute path"),
        ("worker_node.log_level", "--log-level", "loud", "must be debug, info, warning or error"),
        ("worker_node.log_format", "--log-format", "xml", "must be text or json"),
        ("worker_node.log_output", "--log-output", "syslog", "must be stdout or stderr"),
    ];

    /// <summary>The flags of worker_node_job that are not configuration keys (covered by their own rows).</summary>
    private static readonly string[] OwnFlags = ["--task_instance_id", "--cluster_name", "--expected_jobmon_version", "--config", "--help", "--version"];

    [Fact]
    public async Task EveryBadInputEndsWithOneClearLineAndItsDocumentedStatus()
    {
        await using var scenario = await ServerScenario.StartAsync();
        var files = Directory.CreateTempSubdirectory("wn-bad-input-").FullName;
        try
        {
            var failures = new List<string>();
            foreach (var row in await RowsAsync(scenario, files))
            {
                var problem = await CheckAsync(row);
                if (problem is not null)
                {
                    failures.Add($"{row.Name}: {problem}");
                }
            }

            Assert.True(failures.Count == 0, string.Join("\n\n", failures));
        }
        finally
        {
            Directory.Delete(files, recursive: true);
        }
    }

    [Fact]
    public async Task TheTableHasARowForEveryConfigurationFlag()
    {
        var help = await WorkerRun.RunAsync(["worker_node_job", "--help"]);

        var flags = FlagPattern().Matches(help.Stdout).Select(match => match.Value).Distinct().Except(OwnFlags);

        Assert.Equal(flags.Order(), Keys.Where(key => key.Flag is not null).Select(key => key.Flag!).Order());
    }

    private static async Task<string?> CheckAsync(Row row)
    {
        if (row.Prepare is not null)
        {
            await row.Prepare();
        }

        WorkerResult result;
        try
        {
            result = await WorkerRun.RunAsync(row.Arguments, row.Environment, RowTimeout);
        }
        catch (TimeoutException hung)
        {
            return $"hung: {hung.Message}";
        }

        // Server mode logs to stdout (as the Python worker), run to stderr; one-line errors are on stderr.
        var lines = (result.Stdout + "\n" + result.Stderr).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        if (lines.FirstOrDefault(line => line.Contains("   at ", StringComparison.Ordinal) || line.Contains("Exception", StringComparison.Ordinal)) is { } trace)
        {
            return $"a stack trace or exception name: {trace}\n{result}";
        }

        if (result.ExitCode != row.ExitCode)
        {
            return $"exit {result.ExitCode}, not {row.ExitCode}\n{result}";
        }

        var clear = lines.Where(line => line.StartsWith("worker-node: ", StringComparison.Ordinal) || line.Contains(" ERROR ", StringComparison.Ordinal)).ToList();
        if (row.Says is null ? clear.Count != 0 : clear.Count != 1 || !clear[0].Contains(row.Says, StringComparison.Ordinal))
        {
            return $"expected {(row.Says is null ? "no error line" : $"one error line saying '{row.Says}'")}, got {clear.Count}:\n{result}";
        }

        // One line, not the same text again at another level (an ERROR then an INFO repeating it).
        if (row.Says is not null && lines.Count(line => line.Contains(row.Says, StringComparison.Ordinal)) > 1)
        {
            return $"'{row.Says}' is said more than once:\n{result}";
        }

        return row.Check is null ? null : await row.Check();
    }

    private static async Task<List<Row>> RowsAsync(ServerScenario scenario, string files)
    {
        var closed = LoopbackPort.Closed();
        string[] job = ["worker_node_job", "--task_instance_id", "1", "--cluster_name", "test", "--expected_jobmon_version", "3.4.0"];
        string[] reachable = [.. job, "--service-url", $"http://127.0.0.1:{closed}"];
        var rows = new List<Row>();

        foreach (var (key, flag, value, says) in Keys)
        {
            var parts = key.Split('.');
            var variable = $"JOBMON__{parts[0].ToUpperInvariant()}__{parts[1].ToUpperInvariant()}";
            // The service URL must come from the layer under test, not from a flag that would win over it.
            var layered = key == "http.service_url" ? job : reachable;
            if (flag is not null)
            {
                rows.Add(new($"flag {flag} {value}", [.. job, flag, value], null, 2, says));
            }

            var yaml = Write(files, $"{parts[1]}.yaml", $"{parts[0]}:\n  {parts[1]}: \"{value}\"\n");
            rows.Add(new($"file {key}: {value}", [.. layered, "--config", yaml], null, 198, says));
            rows.Add(new($"variable {variable}={value}", layered, new Dictionary<string, string?> { [variable] = value }, 198, says));
        }

        var token = Write(files, "shared-token", "s3cr3t");
        File.SetUnixFileMode(token, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        var notADirectory = Write(files, "plain-file", "x");
        rows.AddRange(
        [
            new("id not a number", ["worker_node_job", "--task_instance_id", "abc", "--cluster_name", "test", "--expected_jobmon_version", "3.4.0"], null, 2, "'abc' is not a whole number"),
            new("id zero", ["worker_node_job", "--task_instance_id", "0", "--cluster_name", "test", "--expected_jobmon_version", "3.4.0"], null, 2, "'0' is not a whole number of at least 1"),
            new("array id not a number", ["worker_node_array", "--array_id", "x", "--batch_number", "0", "--cluster_name", "test", "--expected_jobmon_version", "3.4.0"], null, 2, "--array_id: 'x'"),
            new("unknown flag", [.. job, "--bogus", "1"], null, 2, "Unrecognized command or argument '--bogus'"),
            new("required flag missing", ["worker_node_job", "--task_instance_id", "1", "--expected_jobmon_version", "3.4.0"], null, 2, "'--cluster_name' is required"),
            new("run without a command", ["run"], null, 2, "Required argument missing"),
            new("spool flush with a bad flag", ["spool", "flush", "--retries-attempts", "none"], null, 2, "is not a whole number"),
            new("spool flush --dir naming a file", ["spool", "flush", "--dir", notADirectory], null, 198, "is a file, not a directory"),
            new("version mismatch", ["worker_node_job", "--task_instance_id", "1", "--cluster_name", "test", "--expected_jobmon_version", "2.9.1"], null, 198, "but the workflow expects Jobmon '2.9.1'"),
            new("version garbage", ["worker_node_job", "--task_instance_id", "1", "--cluster_name", "test", "--expected_jobmon_version", "3.x"], null, 198, "but the workflow expects Jobmon '3.x'"),
            new("version with a line break", ["worker_node_job", "--task_instance_id", "1", "--cluster_name", "test", "--expected_jobmon_version", "3.4.0\nworker-node: fake"], null, 198, "expects Jobmon '3.4.0\\x0aworker-node: fake'"),
            new("config file missing", [.. reachable, "--config", "/nonexistent/jobmon.yaml"], null, 198, "/nonexistent/jobmon.yaml (from --config): cannot read"),
            new("config file is a directory", [.. reachable, "--config", files], null, 198, "cannot read: Is a directory"),
            new("JOBMON__CONFIG_FILE missing", reachable, new Dictionary<string, string?> { ["JOBMON__CONFIG_FILE"] = "/nonexistent/jobmon.yaml" }, 198, "(from JOBMON__CONFIG_FILE): cannot read"),
            new("malformed YAML", [.. reachable, "--config", Write(files, "malformed.yaml", "http:\n  service_url: [unclosed\n")], null, 198, "not valid YAML"),
            new("a list where a value belongs", [.. reachable, "--config", Write(files, "list.yaml", "http:\n  request_timeout:\n    - 1\n")], null, 198, "expects a single value, not a list"),
            new("token file readable by others", [.. reachable, "--config", Write(files, "token.yaml", $"http:\n  auth_token_file: {token}\n")], null, 198, "readable by group or others"),
            new("no service URL", job, null, 198, "http.service_url is not set"),
            new("flag interval over 24 days", [.. job, "--heartbeat-interval", "25d"], null, 2, "heartbeat.task_instance_interval: '25d' must be at most 24 days (from --heartbeat-interval)"),
            new("variable timeout over 24 days", reachable, new Dictionary<string, string?> { ["JOBMON__HTTP__REQUEST_TIMEOUT"] = "2073601" }, 198, "must be at most 24 days (from environment variable JOBMON__HTTP__REQUEST_TIMEOUT)"),
            new("file time limit over 365 days", [.. reachable, "--config", Write(files, "year.yaml", "worker_node:\n  time_limit: 400d\n")], null, 198, "worker_node.time_limit: '400d' must be at most 365 days"),
            new("report-by increment over 24 days", [.. job, "--heartbeat-interval", "10d"], null, 2, "(the next_report_increment) must be at most 24 days, not 31 days"),
            new("memory limit too large", ["run", "--memory-limit", "99999999999999999999T", "--", "true"], null, 2, "worker_node.memory_limit: '99999999999999999999T' is too large"),
            new("a walltime past the calendar is no crash", ["run", "--limits-from-scheduler", "--", "true"], new Dictionary<string, string?> { ["PBS_JOBID"] = "1.pbs", ["PBS_WALLTIME"] = "900000000000" }, 0, null),
            new("server unreachable", [.. reachable, "--retries-timeout", "1"], null, 199, "cannot reach the Jobmon server"),
            new("standalone command not found", ["run", "--", "no-such-command-here"], null, 127, "no-such-command-here: command not found"),
            new("unknown command", ["bogus"], null, 2, "worker-node: unknown command 'bogus'; the commands are worker_node_job, worker_node_array, run, queue, spool"),
            new("no command", [], null, 2, "worker-node: no command given; the commands are worker_node_job, worker_node_array, run, queue, spool"),
            new("a bad HTTP variable does not stop run", ["run", "--", "true"], new Dictionary<string, string?> { ["JOBMON__HTTP__REQUEST_TIMEOUT"] = "abc", ["JOBMON__HTTP__SERVICE_URL"] = "notaurl" }, 0, null),
            new("a tab in YAML is pointed at", [.. reachable, "--config", Write(files, "tab.yaml", "http:\n  request_timeout: 2\n\tretries_attempts: 3\n")], null, 198, "not valid YAML at line 3, column 1:"),
            new("a merge key brings the service URL", [.. job, "--retries-timeout", "1", "--config", Write(files, "merge.yaml", $"defaults: &defaults\n  service_url: http://127.0.0.1:{closed}\nhttp:\n  <<: *defaults\n")], null, 199, "cannot reach the Jobmon server"),
            new("merging a scalar", [.. reachable, "--config", Write(files, "merge-scalar.yaml", "http:\n  <<: 5\n")], null, 198, "merges something other than a mapping"),
        ]);

        // Unreadable files exist only for users the kernel checks permissions for (not root).
        if (!string.Equals(Environment.UserName, "root", StringComparison.Ordinal))
        {
            var unreadable = Write(files, "unreadable.yaml", "http:\n  request_timeout: 5\n");
            File.SetUnixFileMode(unreadable, UnixFileMode.None);
            rows.Add(new("config file unreadable", [.. reachable, "--config", unreadable], null, 198, "Permission denied"));
        }

        rows.Add(await ServerRowAsync(scenario, "server: log directory unwritable", "echo never", "/proc/worker-node-cannot-write-here", 198, "cannot open the stdout log", "E", "/proc/worker-node-cannot-write-here"));
        rows.Add(await ServerRowAsync(scenario, "server: command not found", "no-such-command-here --flag", scenario.LogDirectory, 127, null, "E", "no-such-command-here: not found"));
        rows.AddRange(await FileAndProcessRowsAsync(scenario, files));

        // Last: its fault stays armed.
        rows.Add(await GarbageServerRowAsync(scenario));
        return rows;
    }

    /// <summary>A row for a task instance of the harness, checked there afterwards: its status and error description.</summary>
    private static async Task<Row> ServerRowAsync(ServerScenario scenario, string name, string command, string logDirectory, int exitCode, string? says, string status, string described)
    {
        var id = await scenario.CreateAsync(command, logDirectory: logDirectory);
        return new Row(name, scenario.Job(id), ServerScenario.SlurmJob, exitCode, says, async () =>
        {
            var instance = await scenario.InstanceAsync(id);
            var error = instance.GetProperty("error_log").EnumerateArray().Select(entry => entry.GetProperty("description").GetString()).LastOrDefault();
            return instance.GetProperty("status").GetString() == status && error is not null && error.Contains(described, StringComparison.Ordinal)
                ? null
                : $"the server shows {instance.GetProperty("status").GetString()} with '{error}', not {status} with '{described}'";
        });
    }

    /// <summary>Every answer to log_running is a truncated body: the worker gives up within its budget, with one line, and runs nothing.</summary>
    private static async Task<Row> GarbageServerRowAsync(ServerScenario scenario)
    {
        var marker = Path.Combine(scenario.LogDirectory, "ran");
        var id = await scenario.CreateAsync($"touch {marker}");
        var says = $"answered POST /task_instance/{id.ToString(CultureInfo.InvariantCulture)}/log_running with HTTP 200 but";
        return new Row("server answers garbage", scenario.Job(id, "--retries-timeout", "2"), ServerScenario.SlurmJob, 199, says)
        {
            Prepare = () => scenario.Harness.ArmFaultAsync(new { route = "log_running", mode = "malformed", count = 1000 }),
            Check = () => Task.FromResult(File.Exists(marker) ? "the command ran" : null),
        };
    }

    private static string Write(string directory, string name, string content)
    {
        var path = Path.Combine(directory, name);
        File.WriteAllText(path, content, new UTF8Encoding(false));
        return path;
    }

    [GeneratedRegex(@"--[a-z][a-z_-]*")]
    private static partial Regex FlagPattern();

    /// <param name="Name">What the row tries.</param>
    /// <param name="Arguments">worker-node's arguments.</param>
    /// <param name="Environment">Variables to set.</param>
    /// <param name="ExitCode">The documented status.</param>
    /// <param name="Says">What the one clear line must contain; null when there must be none (the command failed, not the worker).</param>
    /// <param name="Check">Anything else to check afterwards (on the server); returns the problem, or null.</param>
    private sealed record Row(string Name, string[] Arguments, IReadOnlyDictionary<string, string?>? Environment, int ExitCode, string? Says, Func<Task<string?>>? Check = null)
    {
        /// <summary>Set-up that must wait until the row runs (a fault that would spoil the rows before it).</summary>
        public Func<Task>? Prepare { get; init; }
    }
}
