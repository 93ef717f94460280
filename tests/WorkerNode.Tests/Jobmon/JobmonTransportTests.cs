using WorkerNode.Configuration;
using WorkerNode.Jobmon;
using WorkerNode.Jobmon.Transport;

namespace WorkerNode.Tests.Jobmon;

/// <summary>The HTTP machinery built ahead of the settings (as a server command does), then given them.</summary>
public sealed class JobmonTransportTests
{
    private readonly TestClients _clients = new();

    [Fact]
    public async Task AClientOnATransportBuiltAheadSendsWithTheSettingsGivenLater()
    {
        await using var server = await JobmonTestServer.StartAsync((_, response) => JobmonTestServer.Json(response, 200, TestClients.Assignment()));
        var transport = await JobmonTransport.StartBuilding(TimeProvider.System).WaitAsync(JobmonTestServer.Patience);
        var http = TestClients.Small(server.Url) with { AuthToken = "tok-123", RoutePrefix = "/api/v3" };
        using var client = JobmonClientFactory.Create(http, new HeartbeatSettings(), TestClients.Version, "slurm", _clients.Log, TimeProvider.System, transport);

        var body = JobmonClient.PrepareLogRunning(TestClients.Running());
        var assignment = await client.LogRunningAsync(12, body, CancellationToken.None).WaitAsync(JobmonTestServer.Patience);

        Assert.Equal(TaskInstanceStatus.Running, assignment.Status);
        var request = Assert.Single(server.Requests);
        Assert.Equal(("POST", "/api/v3/task_instance/12/log_running"), (request.Method, request.Path));
        Assert.Equal("Bearer tok-123", request.Header("Authorization"));
        Assert.Equal(System.Text.Encoding.UTF8.GetString(body), request.Body);
    }

    [Fact]
    public void UnusableSettingsDisposeTheTransportTheClientWouldHaveOwned()
    {
        var transport = JobmonTransport.Build(TimeProvider.System);

        Assert.Throws<JobmonConfigurationException>(() =>
            JobmonClientFactory.Create(new HttpSettings(), new HeartbeatSettings(), TestClients.Version, "slurm", _clients.Log, TimeProvider.System, transport));
        Assert.Throws<ObjectDisposedException>(() => transport.Http.Send(new HttpRequestMessage(HttpMethod.Get, "http://127.0.0.1:1/")));
    }
}
