using System.Diagnostics;
using System.Text.Json;
using WorkerNode.IntegrationTests.Infrastructure;

namespace WorkerNode.IntegrationTests.Server;

/// <summary>The server-mode lifecycle against the harness, with the real executable (PROTOCOL.md §4–§6).</summary>
public sealed class ServerModeTests
{
    [Fact]
    public async Task ASuccessfulCommandIsReportedDoneWithItsLogsAndTails()
    {
        await using var scenario = await ServerScenario.StartAsync();
        var id = await scenario.CreateAsync("echo hello; echo warn >&2", name: "greet");

        var result = await scenario.RunJobAsync(id);

        Assert.True(result.ExitCode == 0, result.ToString());
        var instance = await scenario.InstanceAsync(id);
        Assert.Equal("D", instance.GetProperty("status").GetString());
        Assert.Equal("hello\n", File.ReadAllText(scenario.LogFile("greet", 'o')));
        Assert.Equal("warn\n", File.ReadAllText(scenario.LogFile("greet", 'e')));

        var running = Assert.Single(await scenario.BodiesAsync(id, "log_running"));
        Assert.False(string.IsNullOrEmpty(running.GetProperty("nodename").GetString()));
        Assert.Equal(ServerScenario.DistributorId, running.GetProperty("distributor_id").GetString());
        Assert.Equal(JsonValueKind.String, running.GetProperty("process_group_id").ValueKind);
        Assert.Equal(3.1, running.GetProperty("next_report_increment").GetDouble(), 6);

        var done = Assert.Single(await scenario.BodiesAsync(id, "log_done"));
        Assert.Equal("hello\n", done.GetProperty("stdout_log").GetString());
        Assert.Equal("warn\n", done.GetProperty("stderr_log").GetString());
        Assert.Equal(scenario.LogFile("greet", 'o'), done.GetProperty("stdout").GetString());
        Assert.Equal(scenario.LogFile("greet", 'e'), done.GetProperty("stderr").GetString());
        Assert.Equal(ServerScenario.DistributorId, done.GetProperty("distributor_id").GetString());

        foreach (var request in await scenario.Harness.RequestsOfAsync(id))
        {
            Assert.Equal("3.4.0", request.GetProperty("client_jobmon_version").GetString());
            using var context = JsonDocument.Parse(request.GetProperty("structlog_context").GetString()!);
            Assert.Equal(id.ToString(System.Globalization.CultureInfo.InvariantCulture), context.RootElement.GetProperty("telemetry_task_instance_id").GetString());
            Assert.Equal("test", context.RootElement.GetProperty("telemetry_cluster_name").GetString());
        }
    }

    [Fact]
    public async Task AFailingCommandIsReportedAsAnErrorWithThePythonWorkersDescription()
    {
        await using var scenario = await ServerScenario.StartAsync();
        var id = await scenario.CreateAsync("echo partial; echo oops >&2; exit 3");

        var result = await scenario.RunJobAsync(id);

        Assert.Equal(3, result.ExitCode);
        var instance = await scenario.InstanceAsync(id);
        Assert.Equal("E", instance.GetProperty("status").GetString());
        var error = Assert.Single(instance.GetProperty("error_log").EnumerateArray());
        Assert.Equal("E", error.GetProperty("error_state").GetString());
        Assert.Equal("Got exit_code: 3. Error message was: oops\n", error.GetProperty("description").GetString());
        var body = Assert.Single(await scenario.BodiesAsync(id, "log_error_worker_node"));
        Assert.Equal("partial\n", body.GetProperty("stdout_log").GetString());
        Assert.Equal("oops\n", body.GetProperty("stderr_log").GetString());
    }

    [Fact]
    public async Task TheCommandSeesTheJobmonVariablesOverTheWorkersEnvironmentAndNoStdin()
    {
        await using var scenario = await ServerScenario.StartAsync();
        var id = await scenario.Harness.CreateTaskInstanceAsync(new
        {
            command = "echo vars $JOBMON_TASK_INSTANCE_ID $JOBMON_WORKFLOW_RUN_ID $JOBMON_TASK_ID $JOBMON_WORKFLOW_ID $WN_TEST_VALUE; cat; echo end",
            name = "vars",
            stdout_dir = scenario.LogDirectory,
            stderr_dir = scenario.LogDirectory,
            workflow_run_id = 11,
            task_id = 22,
            workflow_id = 33,
        });

        // A stale JOBMON_TASK_ID in the worker's own environment (a nested run, say) gives way to the task's.
        var environment = new Dictionary<string, string?>(ServerScenario.SlurmJob) { ["JOBMON_TASK_ID"] = "stale", ["WN_TEST_VALUE"] = "inherited" };
        var result = await WorkerRun.RunAsync(scenario.Job(id), environment);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal($"vars {id} 11 22 33 inherited\nend\n", File.ReadAllText(scenario.LogFile("vars", 'o')));
    }

    [Fact]
    public async Task HeartbeatsCarryTheReportByIncrementWhileTheCommandRuns()
    {
        await using var scenario = await ServerScenario.StartAsync();
        var id = await scenario.CreateAsync("sleep 2.5");

        var result = await scenario.RunJobAsync(id);

        Assert.Equal(0, result.ExitCode);
        var heartbeats = await scenario.BodiesAsync(id, "log_report_by");
        Assert.InRange(heartbeats.Length, 2, 3);
        Assert.All(heartbeats, body => Assert.Equal(3.1, body.GetProperty("next_report_increment").GetDouble(), 6));
        Assert.Equal("D", await scenario.Harness.StatusOfAsync(id));
    }

    [Fact]
    public async Task KillSelfStopsTheCommandAndReportsFatal()
    {
        await using var scenario = await ServerScenario.StartAsync();
        var id = await scenario.CreateAsync("echo started; sleep 60");
        await using var run = WorkerRun.Start(scenario.Job(id, "--command-interrupt-timeout", "5"), ServerScenario.SlurmJob);
        await scenario.WaitForStatusAsync(id, "R");

        await scenario.Harness.SetStatusAsync(id, "K");
        var result = await run.WaitAsync();

        Assert.Equal(128 + UnixSignals.Int, result.ExitCode);
        var instance = await scenario.InstanceAsync(id);
        Assert.Equal("F", instance.GetProperty("status").GetString());
        var error = Assert.Single(instance.GetProperty("error_log").EnumerateArray());
        Assert.Equal("F", error.GetProperty("error_state").GetString());
        Assert.Contains("kill itself", error.GetProperty("description").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnyOtherStatusOnAHeartbeatStopsTheCommandAndExits199WithoutReporting()
    {
        await using var scenario = await ServerScenario.StartAsync();
        var id = await scenario.CreateAsync("sleep 60");
        await using var run = WorkerRun.Start(scenario.Job(id, "--command-interrupt-timeout", "5"), ServerScenario.SlurmJob);
        await scenario.WaitForStatusAsync(id, "R");

        await scenario.Harness.SetStatusAsync(id, "X");
        var result = await run.WaitAsync();

        Assert.Equal(199, result.ExitCode);
        Assert.Equal("X", await scenario.Harness.StatusOfAsync(id));
        Assert.Empty(await scenario.BodiesAsync(id, "log_done"));
        Assert.Empty(await scenario.BodiesAsync(id, "log_error_worker_node"));
    }

    [Fact]
    public async Task ANonRunningAnswerToLogRunningExits199WithoutRunningTheCommand()
    {
        await using var scenario = await ServerScenario.StartAsync();
        var marker = Path.Combine(scenario.LogDirectory, "ran");
        var id = await scenario.CreateAsync($"touch {marker}");
        await scenario.Harness.SetStatusAsync(id, "K");

        var result = await scenario.RunJobAsync(id);

        Assert.Equal(199, result.ExitCode);
        Assert.Equal("F", await scenario.Harness.StatusOfAsync(id));
        Assert.False(File.Exists(marker));
    }

    [Fact]
    public async Task AnArrayTaskFindsItsInstanceFromTheSchedulersIndex()
    {
        await using var scenario = await ServerScenario.StartAsync();
        var id = await scenario.Harness.CreateTaskInstanceAsync(new
        {
            command = "echo step $SLURM_ARRAY_TASK_ID",
            name = "member",
            stdout_dir = scenario.LogDirectory,
            stderr_dir = scenario.LogDirectory,
            array_id = 5,
            batch_number = 0,
            array_step_id = 3,
        });
        var slurmArray = new Dictionary<string, string?> { ["SLURM_JOB_ID"] = "904", ["SLURM_ARRAY_JOB_ID"] = "900", ["SLURM_ARRAY_TASK_ID"] = "3" };

        var result = await WorkerRun.RunAsync(
            ["worker_node_array", "--array_id", "5", "--batch_number", "0", "--cluster_name", "test", "--expected_jobmon_version", "3.4.0", .. scenario.Server()],
            slurmArray);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("D", await scenario.Harness.StatusOfAsync(id));
        Assert.Equal("step 3\n", File.ReadAllText(Path.Combine(scenario.LogDirectory, "member.o900_3")));
        Assert.Equal("900_3", Assert.Single(await scenario.BodiesAsync(id, "log_running")).GetProperty("distributor_id").GetString());
    }

    [Fact]
    public async Task AnEmptyLogDirectoryMeansDevNullButTheTailsStillArrive()
    {
        await using var scenario = await ServerScenario.StartAsync();
        var id = await scenario.Harness.CreateTaskInstanceAsync(new { command = "echo quiet", name = "quiet", stdout_dir = "", stderr_dir = "" });

        var result = await scenario.RunJobAsync(id);

        Assert.Equal(0, result.ExitCode);
        var done = Assert.Single(await scenario.BodiesAsync(id, "log_done"));
        Assert.Equal("quiet\n", done.GetProperty("stdout_log").GetString());
        Assert.Equal("/dev/null", done.GetProperty("stdout").GetString());
        Assert.Empty(Directory.GetFiles(scenario.LogDirectory));
    }

    [Fact]
    public async Task AnUnwritableLogDirectoryIsReportedAsAnErrorAndExits198()
    {
        await using var scenario = await ServerScenario.StartAsync();
        var id = await scenario.CreateAsync("echo never", logDirectory: "/proc/worker-node-cannot-write-here");

        var result = await scenario.RunJobAsync(id);

        Assert.Equal(198, result.ExitCode);
        var instance = await scenario.InstanceAsync(id);
        Assert.Equal("E", instance.GetProperty("status").GetString());
        var error = Assert.Single(instance.GetProperty("error_log").EnumerateArray());
        Assert.Contains("/proc/worker-node-cannot-write-here", error.GetProperty("description").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AVersionMismatchExits198NamingBothVersions()
    {
        await using var scenario = await ServerScenario.StartAsync();
        var id = await scenario.CreateAsync("true");
        var arguments = scenario.Job(id);
        arguments[Array.IndexOf(arguments, "3.4.0")] = "2.9.1";

        var result = await WorkerRun.RunAsync(arguments, ServerScenario.SlurmJob);

        Assert.Equal(198, result.ExitCode);
        Assert.Contains("2.9.1", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("Jobmon 3.x", result.Stderr, StringComparison.Ordinal);
        Assert.Empty(await scenario.Harness.RequestsOfAsync(id));
    }

    [Fact]
    public async Task AnUnknownTaskInstanceFailsFastWithoutRetrying()
    {
        await using var scenario = await ServerScenario.StartAsync();

        var result = await WorkerRun.RunAsync(scenario.Job(999), ServerScenario.SlurmJob);

        Assert.Equal(199, result.ExitCode);
        Assert.Contains("999", result.Stdout, StringComparison.Ordinal);
        Assert.Single(await scenario.Harness.RequestsAsync());
    }

    [Fact]
    public async Task AnUnreachableServerEnds199InsideTheRetryBudgetNamingTheUrl()
    {
        var port = LoopbackPort.Closed();
        var clock = Stopwatch.StartNew();

        var result = await WorkerRun.RunAsync(
            ["worker_node_job", "--task_instance_id", "1", "--cluster_name", "test", "--expected_jobmon_version", "3.4.0",
             "--service-url", $"http://127.0.0.1:{port}", "--retries-timeout", "3", "--retries-attempts", "50", "--request-timeout", "1"],
            ServerScenario.SlurmJob);

        Assert.Equal(199, result.ExitCode);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(3 + 5), $"took {clock.Elapsed} with a 3 s retry budget");
        var errors = result.Stdout.Split('\n').Where(line => line.Contains("ERROR", StringComparison.Ordinal)).ToList();
        var error = Assert.Single(errors);
        Assert.Contains($"http://127.0.0.1:{port}", error, StringComparison.Ordinal);
        Assert.Contains("refused", error, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task AMissingServiceUrlExits198WithOneLine()
    {
        var result = await WorkerRun.RunAsync(["worker_node_job", "--task_instance_id", "1", "--cluster_name", "test", "--expected_jobmon_version", "3.4.0"]);

        Assert.Equal(198, result.ExitCode);
        Assert.Contains("http.service_url is not set", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheBinaryWorksUnderThePythonWorkersName()
    {
        await using var scenario = await ServerScenario.StartAsync();
        var id = await scenario.CreateAsync("echo linked");
        var directory = Directory.CreateTempSubdirectory("wn-link-").FullName;
        var link = Path.Combine(directory, "worker_node_entry_point");
        File.CreateSymbolicLink(link, WorkerBinary.Path);
        try
        {
            var result = await WorkerRun.RunAsync(scenario.Job(id), ServerScenario.SlurmJob, program: link);

            Assert.Equal(0, result.ExitCode);
            Assert.Equal("D", await scenario.Harness.StatusOfAsync(id));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
