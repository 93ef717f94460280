using System.Globalization;
using WorkerNode.IntegrationTests.Faults;
using WorkerNode.IntegrationTests.Infrastructure;
using WorkerNode.IntegrationTests.Server;

namespace WorkerNode.IntegrationTests.Security;

/// <summary>Secrets kept: the bearer token and URL credentials never logged or spooled, files owner-writable only, the command at debug only.</summary>
public sealed class SecurityTests
{
    private const UnixFileMode GroupOrOtherWrite = UnixFileMode.GroupWrite | UnixFileMode.OtherWrite;

    [Fact]
    public async Task TheBearerTokenArrivesButIsNeverLoggedNorSpooled()
    {
        await using var scenario = await ServerScenario.StartAsync();
        var spool = Drill.SpoolOf(scenario);
        var token = "tok-" + Guid.NewGuid().ToString("N");
        var id = await scenario.CreateAsync("echo working; sleep 1.5");
        await scenario.Harness.ArmFaultAsync(new { route = "log_running", mode = "status", count = 1, status_code = 503 });
        await scenario.Harness.ArmFaultAsync(new { route = "log_done", mode = "status", count = 100, status_code = 503 });
        var environment = new Dictionary<string, string?>(ServerScenario.SlurmJob) { ["JOBMON__HTTP__AUTH_TOKEN"] = token };

        var worker = await WorkerRun.RunAsync(scenario.Job(id, "--log-level", "debug", "--retries-timeout", "4", "--spool-dir", spool), environment);

        Assert.True(worker.ExitCode == 199, worker.ToString());
        Assert.True(Drill.Lines(worker, "WARN", "retrying").Length > 0, worker.ToString());
        var spooled = Assert.Single(Drill.PendingIn(spool));
        Assert.DoesNotContain(token, File.ReadAllText(spooled), StringComparison.Ordinal);

        // The flusher reads the token from a file of its own, private to its owner.
        await scenario.Harness.SendAsync(HttpMethod.Delete, scenario.Harness.Admin("faults"));
        var tokenFile = Path.Combine(scenario.LogDirectory, "token");
        File.WriteAllText(tokenFile, token + "\n");
        File.SetUnixFileMode(tokenFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var flush = await WorkerRun.RunAsync(
            ["spool", "flush", "--dir", spool, "--log-level", "debug"],
            new Dictionary<string, string?> { ["JOBMON__HTTP__AUTH_TOKEN_FILE"] = tokenFile });

        Assert.True(flush.ExitCode == 0, flush.ToString());
        Assert.Equal("D", await scenario.Harness.StatusOfAsync(id));
        var requests = await scenario.Harness.RequestsOfAsync(id);
        Assert.Contains(requests, request => request.GetProperty("route").GetString() == "log_report_by");
        Assert.All(requests, request => Assert.Equal($"Bearer {token}", request.GetProperty("authorization").GetString()));
        Assert.DoesNotContain(token, worker.Stdout + worker.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain(token, flush.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LogReportAndSpoolFilesAreOwnerWritableOnlyEvenUnderUmask000()
    {
        await using var scenario = await ServerScenario.StartAsync();
        var spool = Path.Combine(scenario.LogDirectory, "state", "spool");
        var logs = Path.Combine(scenario.LogDirectory, "created", "logs");
        var id = await scenario.CreateAsync("echo out; echo err >&2", name: "private", logDirectory: logs);
        await scenario.Harness.ArmFaultAsync(new { route = "log_done", mode = "status", count = 100, status_code = 503 });

        var server = await UnderUmask000Async(scenario.Job(id, "--retries-timeout", "1", "--spool-dir", spool), ServerScenario.SlurmJob);
        var report = Path.Combine(scenario.LogDirectory, "run.json");
        var stdout = Path.Combine(scenario.LogDirectory, "run.out");
        var standalone = await UnderUmask000Async(["run", "--report", report, "--stdout", stdout, "--", "echo", "hello"]);

        Assert.True(server.ExitCode == 199, server.ToString());
        Assert.True(standalone.ExitCode == 0, standalone.ToString());
        string[] files =
        [
            Path.Combine(logs, "private.o" + ServerScenario.DistributorId),
            Path.Combine(logs, "private.e" + ServerScenario.DistributorId),
            logs,
            spool,
            Assert.Single(Drill.PendingIn(spool)),
            report,
            stdout,
        ];
        Assert.All(files, file => Assert.True(
            (File.GetUnixFileMode(file) & GroupOrOtherWrite) == 0,
            $"{file} is {Convert.ToString((int)File.GetUnixFileMode(file), 8)}: writable by group or others"));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(files[4]));
    }

    [Fact]
    public async Task CredentialsInTheServiceUrlNeverReachTheLog()
    {
        await using var scenario = await ServerScenario.StartAsync();
        var secret = "secret" + Guid.NewGuid().ToString("N");
        var id = await scenario.CreateAsync("true");
        await scenario.Harness.ArmFaultAsync(new { route = "log_running", mode = "status", count = 1, status_code = 503 });
        await scenario.Harness.ArmFaultAsync(new { route = "log_done", mode = "status", count = 100, status_code = 503 });
        var url = $"http://user:{secret}@127.0.0.1:{scenario.Harness.Server.Port.ToString(CultureInfo.InvariantCulture)}";

        var result = await WorkerRun.RunAsync(
            [
                "worker_node_job", "--task_instance_id", id.ToString(CultureInfo.InvariantCulture), "--cluster_name", "test", "--expected_jobmon_version", "3.4.0",
                "--service-url", url, "--log-level", "debug", "--retries-timeout", "4", "--spool-dir", Drill.SpoolOf(scenario),
            ],
            ServerScenario.SlurmJob);

        Assert.True(result.ExitCode == 199, result.ToString());
        Assert.Equal("R", await scenario.Harness.StatusOfAsync(id));
        Assert.True(Drill.Lines(result, "WARN", "retrying").Length > 0, result.ToString());
        Assert.Contains("http://***@127.0.0.1", result.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, result.Stdout + result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheCommandFromTheServerIsLoggedAtDebugOnly()
    {
        await using var scenario = await ServerScenario.StartAsync();
        var unique = "unique-" + Guid.NewGuid().ToString("N");
        var quiet = await scenario.CreateAsync($"true {unique}");
        var verbose = await scenario.CreateAsync($"true {unique}");

        var info = await scenario.RunJobAsync(quiet);
        var debug = await scenario.RunJobAsync(verbose, "--log-level", "debug");

        Assert.True(info.ExitCode == 0, info.ToString());
        Assert.True(debug.ExitCode == 0, debug.ToString());
        Assert.DoesNotContain(unique, info.Stdout + info.Stderr, StringComparison.Ordinal);
        Assert.Single(Drill.Lines(debug, "DEBUG", unique));
    }

    /// <summary>Runs worker-node from a shell that sets the umask to 000 first.</summary>
    private static Task<WorkerResult> UnderUmask000Async(string[] arguments, IReadOnlyDictionary<string, string?>? environment = null) =>
        WorkerRun.RunAsync(["-c", "umask 000 && exec \"$0\" \"$@\"", WorkerBinary.Path, .. arguments], environment, program: "/bin/sh");
}
