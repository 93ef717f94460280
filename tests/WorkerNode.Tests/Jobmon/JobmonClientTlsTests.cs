using WorkerNode.Jobmon;

namespace WorkerNode.Tests.Jobmon;

/// <summary>HTTPS with a private CA: trusted through http.ca_bundle only, and never for a wrong host name.</summary>
public sealed class JobmonClientTlsTests : IDisposable
{
    private static readonly TimeSpan Patience = JobmonTestServer.Patience;

    private readonly TestCertificates _certificates = new();
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("jobmon-tls-");
    private readonly TestClients _clients = new();

    [Fact]
    public async Task AServerCertificateFromTheBundlesCaIsAccepted()
    {
        using var certificate = _certificates.Server();
        await using var server = await JobmonTestServer.StartAsync((_, response) => JobmonTestServer.Json(response, 200, """{"status": "R"}"""), certificate);
        using var client = _clients.Create(TestClients.Small(server.Url) with { CaBundle = _certificates.WriteBundle(_directory.FullName) });

        var status = await client.LogReportByAsync(12, TestClients.Heartbeat(), CancellationToken.None).WaitAsync(Patience);

        Assert.Equal(TaskInstanceStatus.Running, status);
        Assert.StartsWith("https://", server.Url.ToString());
    }

    [Fact]
    public async Task WithoutTheBundleTheSameServerIsRejectedAtOnce()
    {
        using var certificate = _certificates.Server();
        await using var server = await JobmonTestServer.StartAsync((_, response) => JobmonTestServer.Json(response, 200, """{"status": "R"}"""), certificate);
        using var client = _clients.Create(TestClients.Generous(server.Url));

        var error = await Assert.ThrowsAsync<ServerUnreachableException>(
            () => client.LogReportByAsync(12, TestClients.Heartbeat(), CancellationToken.None).WaitAsync(Patience));

        Assert.Empty(server.Requests);
        Assert.Contains("TLS handshake failed", error.Message);
        Assert.Contains("http.ca_bundle", error.Message);
        Assert.DoesNotContain("retrying", _clients.LogText);
    }

    [Fact]
    public async Task TheBundleDoesNotExcuseAWrongHostName()
    {
        using var certificate = _certificates.Server(dnsName: "jobmon.example.org");
        await using var server = await JobmonTestServer.StartAsync((_, response) => JobmonTestServer.Json(response, 200, """{"status": "R"}"""), certificate);
        using var client = _clients.Create(TestClients.Small(server.Url) with { CaBundle = _certificates.WriteBundle(_directory.FullName) });

        await Assert.ThrowsAsync<ServerUnreachableException>(
            () => client.LogReportByAsync(12, TestClients.Heartbeat(), CancellationToken.None).WaitAsync(Patience));

        Assert.Empty(server.Requests);
    }

    [Fact]
    public void ABundleWithoutCertificatesIsAConfigurationError()
    {
        var path = Path.Combine(_directory.FullName, "empty.pem");
        File.WriteAllText(path, "not a certificate\n");

        var error = Assert.Throws<JobmonConfigurationException>(
            () => _clients.Create(TestClients.Small(new Uri("https://127.0.0.1:1")) with { CaBundle = path }));

        Assert.Contains(path, error.Message);
    }

    public void Dispose()
    {
        _certificates.Dispose();
        _directory.Delete(recursive: true);
    }
}
