using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using WorkerNode.Configuration;
using WorkerNode.Jobmon;

namespace WorkerNode.Tests.Jobmon;

/// <summary>The client against a real Kestrel server on loopback.</summary>
public sealed class JobmonClientHttpTests
{
    private static readonly TimeSpan Patience = JobmonTestServer.Patience;
    private const string NoResultFound =
        """{"error": {"type": "<class 'sqlalchemy.exc.NoResultFound'>", "exception_message": "No row was found when one was required", "status_code": "500"}}""";

    private readonly TestClients _clients = new();

    [Fact]
    public async Task LogRunningSendsTheVersionTheHeadersAndTheBodyAndAcceptsGzipAsThePythonWorkerDoes()
    {
        await using var server = await JobmonTestServer.StartAsync((_, response) => JobmonTestServer.Json(response, 200, TestClients.Assignment()));
        using var client = _clients.Create(TestClients.Small(server.Url));

        var assignment = await client.LogRunningAsync(12, TestClients.Running(), CancellationToken.None).WaitAsync(Patience);

        Assert.Equal(new TaskInstanceAssignment(12, TaskInstanceStatus.Running, 7, 8, "my_task", "echo hi", 9, "/out", "/err"), assignment);
        var request = Assert.Single(server.Requests);
        Assert.Equal("POST", request.Method);
        Assert.Equal("/api/v3/task_instance/12/log_running", request.Path);
        Assert.Equal("?client_jobmon_version=3.4.1", request.Query);
        Assert.Equal("application/json", request.Header("Content-Type"));
        Assert.Equal("gzip, deflate", request.Header("Accept-Encoding"));
        Assert.Null(request.Header("Authorization"));
        using var context = JsonDocument.Parse(request.Header("X-Server-Structlog-Context")!);
        Assert.Equal("12", context.RootElement.GetProperty("telemetry_task_instance_id").GetString());
        Assert.Equal("slurm", context.RootElement.GetProperty("telemetry_cluster_name").GetString());
        using var body = JsonDocument.Parse(request.Body);
        Assert.Equal("4242", body.RootElement.GetProperty("process_group_id").GetString());
    }

    [Fact]
    public async Task TheArrayRouteIsAGetWithoutATaskInstanceIdInTheContextHeader()
    {
        await using var server = await JobmonTestServer.StartAsync((_, response) => JobmonTestServer.Json(response, 200, """{"task_instance_id": "123"}"""));
        using var client = _clients.Create(TestClients.Small(server.Url));

        var id = await client.GetArrayTaskInstanceIdAsync(5, 2, 3, CancellationToken.None).WaitAsync(Patience);

        Assert.Equal(123, id);
        var request = Assert.Single(server.Requests);
        Assert.Equal(("GET", "/api/v3/get_array_task_instance_id/5/2/3"), (request.Method, request.Path));
        Assert.Equal("application/json", request.Header("Content-Type"));
        Assert.Equal("""{"telemetry_cluster_name":"slurm"}""", request.Header("X-Server-Structlog-Context"));
    }

    [Fact]
    public async Task TheBearerTokenIsSentWhenConfigured()
    {
        await using var server = await JobmonTestServer.StartAsync((_, response) => JobmonTestServer.Json(response, 200, """{"status": "R"}"""));
        using var client = _clients.Create(TestClients.Small(server.Url) with { AuthToken = "tok-123" });

        await client.LogReportByAsync(12, TestClients.Heartbeat(), CancellationToken.None).WaitAsync(Patience);

        Assert.Equal("Bearer tok-123", Assert.Single(server.Requests).Header("Authorization"));
    }

    [Theory]
    [InlineData(503)]
    [InlineData(423)]
    [InlineData(502)]
    public async Task ATransientStatusIsRetriedUntilSuccess(int status)
    {
        await using var server = await JobmonTestServer.StartAsync((request, response) =>
            request.Number == 1 ? JobmonTestServer.Json(response, status, "{}") : JobmonTestServer.Json(response, 200, """{"status": "D"}"""));
        using var client = _clients.Create(TestClients.Small(server.Url) with { RetriesTimeout = TimeSpan.FromSeconds(10) });

        var answer = await client.SendFinalReportAsync(12, FinalReports.Done(), CancellationToken.None).WaitAsync(Patience);

        Assert.Equal(TaskInstanceStatus.Done, answer);
        Assert.Equal(2, server.Requests.Length);
        Assert.Contains($"HTTP {status}", _clients.LogText);
        Assert.Contains("retrying", _clients.LogText);
    }

    [Theory]
    [InlineData(302)]
    [InlineData(307)]
    public async Task ARedirectIsAnAnswerNotFollowed(int status)
    {
        await using var server = await JobmonTestServer.StartAsync((_, response) =>
        {
            response.Headers.Location = "/elsewhere";
            return JobmonTestServer.Json(response, status, """{"status": "D"}""");
        });
        using var client = _clients.Create(TestClients.Small(server.Url));

        var answer = await client.SendFinalReportAsync(12, FinalReports.Done(), CancellationToken.None).WaitAsync(Patience);

        Assert.Equal(TaskInstanceStatus.Done, answer);
        Assert.Equal("/api/v3/task_instance/12/log_done", Assert.Single(server.Requests).Path);
    }

    [Fact]
    public async Task A404IsNotRetried()
    {
        await using var server = await JobmonTestServer.StartAsync((_, response) => JobmonTestServer.Json(response, 404, """{"detail": "Not Found"}"""));
        using var client = _clients.Create(TestClients.Small(server.Url));

        var error = await Assert.ThrowsAsync<UnexpectedServerAnswerException>(
            () => client.LogRunningAsync(12, TestClients.Running(), CancellationToken.None).WaitAsync(Patience));

        Assert.Single(server.Requests);
        Assert.Contains("HTTP 404", error.Message);
        Assert.Contains("POST /task_instance/12/log_running", error.Message);
        Assert.Contains("Not Found", error.Message);
    }

    [Fact]
    public async Task AnUnknownTaskInstanceFailsAtOnce()
    {
        await using var server = await JobmonTestServer.StartAsync((_, response) => JobmonTestServer.Json(response, 500, NoResultFound));
        using var client = _clients.Create(TestClients.Generous(server.Url));

        var error = await Assert.ThrowsAsync<UnknownTaskInstanceException>(
            () => client.LogRunningAsync(12, TestClients.Running(), CancellationToken.None).WaitAsync(Patience));

        Assert.Single(server.Requests);
        Assert.Equal(
            $"task instance 12 is unknown to the server at {server.Url}api/v3 (it answered 500 NoResultFound): check --task_instance_id and the service URL",
            error.Message);
    }

    [Fact]
    public async Task AnUnknownArrayStepFailsAtOnceNamingTheArray()
    {
        await using var server = await JobmonTestServer.StartAsync((_, response) => JobmonTestServer.Json(response, 500, NoResultFound));
        using var client = _clients.Create(TestClients.Generous(server.Url));

        var error = await Assert.ThrowsAsync<UnknownTaskInstanceException>(
            () => client.GetArrayTaskInstanceIdAsync(5, 2, 3, CancellationToken.None).WaitAsync(Patience));

        Assert.Single(server.Requests);
        Assert.StartsWith("array 5 batch 2 step 3 is unknown to the server", error.Message);
    }

    [Fact]
    public async Task AServerThatIsDownEndsWithOneLineNamingTheUrlAndTheLastError()
    {
        var url = new Uri($"http://127.0.0.1:{ClosedPort()}");
        using var client = _clients.Create(TestClients.Small(url));

        var error = await Assert.ThrowsAsync<ServerUnreachableException>(
            () => client.LogRunningAsync(12, TestClients.Running(), CancellationToken.None).WaitAsync(Patience));

        Assert.StartsWith($"cannot reach the Jobmon server at {url}api/v3: ", error.Message);
        Assert.Matches(@": \d+ attempts? in \d+\.\d s, last error: Connection refused \(POST /task_instance/12/log_running\)$", error.Message);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public async Task AnAttemptThatOutlastsTheRequestTimeoutIsRetried()
    {
        await using var server = await JobmonTestServer.StartAsync(async (request, response) =>
        {
            if (request.Number == 1)
            {
                await Task.Delay(Patience, request.Aborted).ContinueWith(_ => { }, TaskScheduler.Default);
                return;
            }

            await JobmonTestServer.Json(response, 200, """{"status": "D"}""");
        });
        using var client = _clients.Create(TestClients.Small(server.Url) with { RequestTimeout = TimeSpan.FromSeconds(1), RetriesTimeout = TimeSpan.FromSeconds(10) });

        var status = await client.SendFinalReportAsync(12, FinalReports.Done(), CancellationToken.None).WaitAsync(Patience);

        Assert.Equal(TaskInstanceStatus.Done, status);
        Assert.Equal(2, server.Requests.Length);
        Assert.Contains("no answer within 1.0 s", _clients.LogText);
    }

    [Fact]
    public async Task AHeartbeatIsASingleAttemptTheHeartbeatLoopDecidesWhenToTryAgain()
    {
        await using var server = await JobmonTestServer.StartAsync((_, response) => JobmonTestServer.Json(response, 503, "{}"));
        using var client = _clients.Create(TestClients.Generous(server.Url), new HeartbeatSettings { Interval = TimeSpan.FromSeconds(1.5) });

        var error = await Assert.ThrowsAsync<ServerUnreachableException>(
            () => client.LogReportByAsync(12, TestClients.Heartbeat(), CancellationToken.None).WaitAsync(Patience));

        Assert.Single(server.Requests);
        Assert.Contains("last error: HTTP 503", error.Message);
    }

    [Fact]
    public async Task ANonJsonSuccessIsRetriedAsATransientFailure()
    {
        await using var server = await JobmonTestServer.StartAsync((request, response) => request.Number == 1
            ? JobmonTestServer.Json(response, 200, "<html>proxy is warming up</html>")
            : JobmonTestServer.Json(response, 200, TestClients.Assignment()));
        using var client = _clients.Create(TestClients.Small(server.Url) with { RetriesTimeout = TimeSpan.FromSeconds(10) });

        var assignment = await client.LogRunningAsync(12, TestClients.Running(), CancellationToken.None).WaitAsync(Patience);

        Assert.Equal("echo hi", assignment.Command);
        Assert.Equal(2, server.Requests.Length);
    }

    [Fact]
    public async Task AWrongShapeUntilTheBudgetEndsIsAnUnexpectedAnswerNamingTheRoute()
    {
        await using var server = await JobmonTestServer.StartAsync((_, response) => JobmonTestServer.Json(response, 200, """{"task_instance": [12, "R"]}"""));
        using var client = _clients.Create(TestClients.Small(server.Url) with { RetriesAttempts = 2 });

        var error = await Assert.ThrowsAsync<UnexpectedServerAnswerException>(
            () => client.LogRunningAsync(12, TestClients.Running(), CancellationToken.None).WaitAsync(Patience));

        Assert.Equal(2, server.Requests.Length);
        Assert.Contains("POST /task_instance/12/log_running with HTTP 200 but task_instance has 2 elements, not 9", error.Message);
    }

    [Fact]
    public async Task TheCallersCancellationStopsTheRetriesAtOnce()
    {
        await using var server = await JobmonTestServer.StartAsync((_, response) => JobmonTestServer.Json(response, 503, "{}"));
        using var client = _clients.Create(TestClients.Generous(server.Url));
        using var cancellation = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => client.LogRunningAsync(12, TestClients.Running(), cancellation.Token).WaitAsync(Patience));

        // Cancelled during the first wait (or, on a slow machine, the first attempt): no second attempt.
        Assert.InRange(server.Requests.Length, 0, 1);
    }

    [Fact]
    public async Task AnEnvelopeReadBackFromTheSpoolSendsTheSameBodyToTheSameRoute()
    {
        await using var server = await JobmonTestServer.StartAsync((_, response) => JobmonTestServer.Json(response, 200, """{"status": "E"}"""));
        using var client = _clients.Create(TestClients.Small(server.Url));
        var original = FinalReportEnvelope.Create(12, FinalReports.Error());

        var status = await client.SendEnvelopeAsync(FinalReportEnvelope.FromJson(original.ToJson()), CancellationToken.None).WaitAsync(Patience);

        Assert.Equal(original.TargetStatus, status);
        var request = Assert.Single(server.Requests);
        Assert.Equal("/api/v3/task_instance/12/log_error_worker_node", request.Path);
        Assert.Equal(original.Body, request.Body);
    }

    [Fact]
    public async Task AnEnvelopeForAnotherRouteIsRefusedWithoutSending()
    {
        await using var server = await JobmonTestServer.StartAsync((_, response) => JobmonTestServer.Json(response, 200, """{"status": "D"}"""));
        using var client = _clients.Create(TestClients.Small(server.Url));
        var envelope = FinalReportEnvelope.Create(12, FinalReports.Done()) with { Route = "../../admin" };

        await Assert.ThrowsAsync<ArgumentException>(() => client.SendEnvelopeAsync(envelope, CancellationToken.None).WaitAsync(Patience));

        Assert.Empty(server.Requests);
    }

    private static int ClosedPort()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }
}
