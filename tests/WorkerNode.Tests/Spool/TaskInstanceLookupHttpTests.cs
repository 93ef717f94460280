using System.Text.Json;
using WorkerNode.Jobmon;
using WorkerNode.Tests.Jobmon;

namespace WorkerNode.Tests.Spool;

/// <summary>The client's GET of a task's instances (the spool's check) against a real Kestrel server on loopback.</summary>
public sealed class TaskInstanceLookupHttpTests
{
    private static readonly TimeSpan Patience = JobmonTestServer.Patience;
    private readonly TestClients _clients = new();

    [Fact]
    public async Task TheLookupIsAGetOfTheTaskWithTheInstanceInTheContextHeader()
    {
        await using var server = await JobmonTestServer.StartAsync((_, response) => JobmonTestServer.Json(
            response,
            200,
            """{"taskinstances": [{"ti_id": 12, "ti_status": "KILL_SELF", "ti_nodename": "node1", "ti_distributor_id": "1234", "ti_error_log_description": null}]}"""));
        using var client = _clients.Create(TestClients.Small(server.Url) with { AuthToken = "tok-123" });

        var lookup = await client.LookUpTaskInstanceAsync(7, 12, CancellationToken.None).WaitAsync(Patience);

        Assert.Equal(new ServerTaskInstance(12, TaskInstanceStatus.KillSelf, "KILL_SELF", "node1", "1234"), lookup.Instance);
        var request = Assert.Single(server.Requests);
        Assert.Equal(("GET", "/api/v3/task/get_ti_details_viz/7", "?client_jobmon_version=3.4.1"), (request.Method, request.Path, request.Query));
        Assert.Equal("Bearer tok-123", request.Header("Authorization"));
        using var context = JsonDocument.Parse(request.Header("X-Server-Structlog-Context")!);
        Assert.Equal("12", context.RootElement.GetProperty("telemetry_task_instance_id").GetString());
    }

    [Theory]
    [InlineData(404)]
    [InlineData(405)]
    [InlineData(401)]
    [InlineData(403)]
    public async Task AServerWithoutTheRouteForUsSaysNotOfferedAtOnce(int status)
    {
        await using var server = await JobmonTestServer.StartAsync((_, response) => JobmonTestServer.Json(response, status, """{"detail": "Not Found"}"""));
        using var client = _clients.Create(TestClients.Small(server.Url));

        var lookup = await client.LookUpTaskInstanceAsync(7, 12, CancellationToken.None).WaitAsync(Patience);

        Assert.False(lookup.IsOffered);
        Assert.Contains($"HTTP {status}", lookup.NotOffered, StringComparison.Ordinal);
        Assert.Single(server.Requests);
    }

    [Fact]
    public async Task ABusyServerIsRetriedThenUnreachable()
    {
        await using var server = await JobmonTestServer.StartAsync((_, response) => JobmonTestServer.Json(response, 503, """{"detail": "busy"}"""));
        using var client = _clients.Create(TestClients.Small(server.Url));

        await Assert.ThrowsAsync<ServerUnreachableException>(() => client.LookUpTaskInstanceAsync(7, 12, CancellationToken.None).WaitAsync(Patience));
        Assert.True(server.Requests.Length > 1);
    }

    [Fact]
    public async Task AnotherClientErrorIsUnexpectedAndKeepsItsStatus()
    {
        await using var server = await JobmonTestServer.StartAsync((_, response) => JobmonTestServer.Json(response, 400, """{"detail": "bad"}"""));
        using var client = _clients.Create(TestClients.Small(server.Url));

        var error = await Assert.ThrowsAsync<UnexpectedServerAnswerException>(() => client.LookUpTaskInstanceAsync(7, 12, CancellationToken.None).WaitAsync(Patience));
        Assert.Equal(400, error.StatusCode);
    }
}
