using System.IO.Compression;
using System.Net;
using System.Net.Sockets;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;
using WorkerNode.Jobmon;
using WorkerNode.Tests.Jobmon;

namespace WorkerNode.Tests.Client;

/// <summary>
/// The HTTP client against WireMock.Net on loopback (issues 11, 12, 14): retries, 423, malformed,
/// oversized (plain and gzip) and slow answers, resets, and what each failure says about the server.
/// </summary>
public sealed class JobmonClientWireMockTests : IDisposable
{
    private const string Heartbeat = "/api/v3/task_instance/12/log_report_by";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private readonly WireMockServer _server = WireMockServer.Start();
    private readonly TestClients _clients = new();

    private Uri Url => new(_server.Urls[0]);

    public void Dispose() => _server.Stop();

    [Fact]
    public async Task Two_503s_then_an_answer_are_retried_and_each_failed_attempt_is_logged_once_with_its_wait()
    {
        Answer(Response.Create().WithStatusCode(503).WithBody("busy"), state: null, next: "one", route: "/api/v3/task_instance/12/log_done");
        Answer(Response.Create().WithStatusCode(503).WithBody("busy"), state: "one", next: "two", route: "/api/v3/task_instance/12/log_done");
        Answer(Ok("D"), state: "two", next: null, route: "/api/v3/task_instance/12/log_done");
        using var client = _clients.Create(TestClients.Generous(Url));

        var status = await client.SendFinalReportAsync(12, FinalReports.Done(), CancellationToken.None).WaitAsync(Patience);

        Assert.Equal(TaskInstanceStatus.Done, status);
        Assert.Equal(3, _server.LogEntries.Count());
        var retries = _clients.LogText.Split('\n').Where(line => line.Contains("Jobmon request failed, retrying", StringComparison.Ordinal)).ToArray();
        Assert.Equal(2, retries.Length);
        Assert.All(retries, line => Assert.Contains(" WARN ", line, StringComparison.Ordinal));
        Assert.All(retries, line => Assert.Contains("retry_in=", line, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_423_is_retried_for_ordinary_calls()
    {
        Answer(Response.Create().WithStatusCode(423).WithBody("locked"), state: null, next: "unlocked", route: "/api/v3/task_instance/12/log_done");
        Answer(Ok("D"), state: "unlocked", next: null, route: "/api/v3/task_instance/12/log_done");
        using var client = _clients.Create(TestClients.Generous(Url));

        Assert.Equal(TaskInstanceStatus.Done, await client.SendFinalReportAsync(12, FinalReports.Done(), CancellationToken.None).WaitAsync(Patience));
        Assert.Equal(2, _server.LogEntries.Count());
    }

    [Fact]
    public async Task A_heartbeat_is_one_attempt_and_a_423_is_a_server_that_is_there()
    {
        _server.Given(Request.Create().WithPath(Heartbeat).UsingPost()).RespondWith(Response.Create().WithStatusCode(423).WithBody("locked"));
        using var client = _clients.Create(TestClients.Generous(Url));

        var failure = await Assert.ThrowsAsync<ServerUnreachableException>(
            () => client.LogReportByAsync(12, TestClients.Heartbeat(), CancellationToken.None).WaitAsync(Patience));

        Assert.False(failure.NoContact);
        Assert.Single(_server.LogEntries);
    }

    [Fact]
    public async Task A_malformed_answer_is_retried_then_reported_as_such()
    {
        _server.Given(Request.Create().WithPath("/api/v3/task_instance/12/log_done").UsingPost())
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json").WithBody("{\"status\": "));
        using var client = _clients.Create(TestClients.Small(Url));

        var failure = await Assert.ThrowsAsync<UnexpectedServerAnswerException>(
            () => client.SendFinalReportAsync(12, FinalReports.Done(), CancellationToken.None).WaitAsync(Patience));

        Assert.Contains("the body is not JSON", failure.Message, StringComparison.Ordinal);
        Assert.Equal(3, _server.LogEntries.Count());
    }

    [Fact]
    public async Task An_oversized_answer_is_malformed_and_retried_not_buffered()
    {
        var huge = new byte[2 * 1024 * 1024];
        Array.Fill(huge, (byte)' ');
        _server.Given(Request.Create().WithPath("/api/v3/task_instance/12/log_done").UsingPost())
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json").WithBody(huge));
        using var client = _clients.Create(TestClients.Small(Url));

        var failure = await Assert.ThrowsAsync<UnexpectedServerAnswerException>(
            () => client.SendFinalReportAsync(12, FinalReports.Done(), CancellationToken.None).WaitAsync(Patience));

        Assert.Contains("the answer is larger than 256 KiB", failure.Message, StringComparison.Ordinal);
        Assert.Contains("3 attempts", failure.Message, StringComparison.Ordinal);
        Assert.Equal(3, _server.LogEntries.Count());
    }

    [Fact]
    public async Task A_gzip_bomb_is_bounded_by_its_decompressed_size()
    {
        // 64 MiB of spaces compress to about 64 KiB: small on the wire, far over the bound once inflated.
        using var packed = new MemoryStream();
        await using (var gzip = new GZipStream(packed, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            var chunk = new byte[1024 * 1024];
            Array.Fill(chunk, (byte)' ');
            for (var i = 0; i < 64; i++)
            {
                gzip.Write(chunk);
            }
        }

        _server.Given(Request.Create().WithPath("/api/v3/task_instance/12/log_done").UsingPost())
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json").WithHeader("Content-Encoding", "gzip").WithBody(packed.ToArray()));
        using var client = _clients.Create(TestClients.Small(Url) with { RetriesAttempts = 1 });

        var failure = await Assert.ThrowsAsync<UnexpectedServerAnswerException>(
            () => client.SendFinalReportAsync(12, FinalReports.Done(), CancellationToken.None).WaitAsync(Patience));

        Assert.Contains("the answer is larger than 256 KiB", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_gzipped_answer_is_read()
    {
        using var packed = new MemoryStream();
        await using (var gzip = new GZipStream(packed, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write("{\"status\": \"R\"}"u8);
        }

        _server.Given(Request.Create().WithPath(Heartbeat).UsingPost())
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json").WithHeader("Content-Encoding", "gzip").WithBody(packed.ToArray()));
        using var client = _clients.Create(TestClients.Small(Url));

        Assert.Equal(TaskInstanceStatus.Running, await client.LogReportByAsync(12, TestClients.Heartbeat(), CancellationToken.None).WaitAsync(Patience));
    }

    [Fact]
    public async Task A_slow_heartbeat_answer_is_waited_for_within_the_request_timeout_not_the_interval()
    {
        _server.Given(Request.Create().WithPath(Heartbeat).UsingPost()).RespondWith(Ok("R").WithDelay(TimeSpan.FromSeconds(2)));
        using var client = _clients.Create(TestClients.Small(Url), new WorkerNode.Configuration.HeartbeatSettings { Interval = TimeSpan.FromSeconds(0.5) });

        Assert.Equal(TaskInstanceStatus.Running, await client.LogReportByAsync(12, TestClients.Heartbeat(), CancellationToken.None).WaitAsync(Patience));
        Assert.Single(_server.LogEntries);
    }

    [Fact]
    public async Task A_heartbeat_slower_than_the_request_timeout_fails_as_a_server_that_is_there()
    {
        _server.Given(Request.Create().WithPath(Heartbeat).UsingPost()).RespondWith(Ok("R").WithDelay(TimeSpan.FromSeconds(5)));
        using var client = _clients.Create(TestClients.Small(Url) with { RequestTimeout = TimeSpan.FromSeconds(1) });

        var failure = await Assert.ThrowsAsync<ServerUnreachableException>(
            () => client.LogReportByAsync(12, TestClients.Heartbeat(), CancellationToken.None).WaitAsync(Patience));

        Assert.False(failure.NoContact);
        Assert.Contains("no answer within 1.0 s", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_dropped_connection_is_retried()
    {
        Answer(Response.Create().WithFault(FaultType.EMPTY_RESPONSE), state: null, next: "back", route: "/api/v3/task_instance/12/log_done");
        Answer(Ok("D"), state: "back", next: null, route: "/api/v3/task_instance/12/log_done");
        using var client = _clients.Create(TestClients.Generous(Url));

        Assert.Equal(TaskInstanceStatus.Done, await client.SendFinalReportAsync(12, FinalReports.Done(), CancellationToken.None).WaitAsync(Patience));
        Assert.Equal(2, _server.LogEntries.Count());
    }

    [Fact]
    public async Task A_refused_connection_is_no_contact()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        using var client = _clients.Create(TestClients.Small(new Uri($"http://127.0.0.1:{port}/")));

        var failure = await Assert.ThrowsAsync<ServerUnreachableException>(
            () => client.LogReportByAsync(12, TestClients.Heartbeat(), CancellationToken.None).WaitAsync(Patience));

        Assert.True(failure.NoContact, failure.Message);
    }

    private static IResponseBuilder Ok(string status) =>
        Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json").WithBody($"{{\"status\": \"{status}\"}}");

    private void Answer(IResponseBuilder response, string? state, string? next, string route = Heartbeat)
    {
        var mapping = _server.Given(Request.Create().WithPath(route).UsingPost()).InScenario("attempts");
        if (state is not null)
        {
            mapping = mapping.WhenStateIs(state);
        }

        if (next is not null)
        {
            mapping = mapping.WillSetStateTo(next);
        }

        mapping.RespondWith(response);
    }
}
