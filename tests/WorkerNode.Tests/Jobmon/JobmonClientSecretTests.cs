using WorkerNode.Jobmon;

namespace WorkerNode.Tests.Jobmon;

/// <summary>The bearer token and URL credentials never reach a message or a log line.</summary>
public sealed class JobmonClientSecretTests
{
    private const string Token = "s3cr3t-T0KEN-value";
    private static readonly TimeSpan Patience = JobmonTestServer.Patience;

    private readonly TestClients _clients = new();

    [Theory]
    [InlineData(401)]
    [InlineData(503)]
    public async Task ATokenEchoedByTheServerIsMaskedInMessagesAndLogs(int status)
    {
        // A badly written proxy page that repeats the request's headers.
        await using var server = await JobmonTestServer.StartAsync((request, response) =>
            JobmonTestServer.Json(response, status, $"<html>rejected: Authorization: {request.Header("Authorization")}</html>"));
        using var client = _clients.Create(TestClients.Small(server.Url) with { AuthToken = Token, RetriesAttempts = 2 });

        var error = await Assert.ThrowsAnyAsync<JobmonException>(
            () => client.LogRunningAsync(12, TestClients.Running(), CancellationToken.None).WaitAsync(Patience));

        Assert.All(server.Requests, request => Assert.Equal("Bearer " + Token, request.Header("Authorization")));
        Assert.Contains("Authorization: Bearer ***", error.Message);
        Assert.DoesNotContain(Token, error.ToString());
        Assert.DoesNotContain(Token, _clients.LogText);
    }

    [Fact]
    public async Task CredentialsInTheServiceUrlAreMaskedInTheMessage()
    {
        await using var server = await JobmonTestServer.StartAsync((_, response) => JobmonTestServer.Json(response, 404, "{}"));
        var url = new Uri($"http://jobmon:hunter2@127.0.0.1:{server.Url.Port}");
        using var client = _clients.Create(TestClients.Small(url) with { AuthToken = Token });

        var error = await Assert.ThrowsAsync<UnexpectedServerAnswerException>(
            () => client.LogRunningAsync(12, TestClients.Running(), CancellationToken.None).WaitAsync(Patience));

        Assert.Contains($"http://***@127.0.0.1:{server.Url.Port}/api/v3", error.Message);
        Assert.DoesNotContain("hunter2", error.Message);
        Assert.DoesNotContain(Token, error.Message);
    }
}
