using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.DependencyInjection;
using WorkerNode.Configuration;
using WorkerNode.Jobmon.Resilience;
using WorkerNode.Jobmon.Transport;
using WorkerNode.Logging;

namespace WorkerNode.Jobmon;

/// <summary>Builds the one <see cref="JobmonClient"/> of a worker from its settings (IHttpClientFactory, SocketsHttpHandler, resilience pipelines).</summary>
public static class JobmonClientFactory
{
    private const string ClientName = "jobmon";

    /// <summary>
    /// Builds the client. Nothing is sent yet; a settings problem (no service URL, an unreadable CA
    /// bundle or token file) throws <see cref="JobmonConfigurationException"/> here.
    /// </summary>
    /// <param name="http">Where the server is, how long to try, the token and the CA bundle.</param>
    /// <param name="heartbeat">Its interval caps the retry budget of each heartbeat.</param>
    /// <param name="expectedJobmonVersion">Sent as client_jobmon_version with every request.</param>
    /// <param name="clusterName">For the server's logs (X-Server-Structlog-Context); null when unknown.</param>
    /// <param name="log">Where retries are logged, at Debug.</param>
    /// <param name="time">The clock of the retry budget; the system's unless a test moves it.</param>
    public static JobmonClient Create(
        HttpSettings http,
        HeartbeatSettings heartbeat,
        string expectedJobmonVersion,
        string? clusterName,
        WorkerLog log,
        TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(heartbeat);
        ArgumentException.ThrowIfNullOrEmpty(expectedJobmonVersion);
        ArgumentNullException.ThrowIfNull(log);
        time ??= TimeProvider.System;

        var baseAddress = JobmonAddress.Combine(http.ServiceUrl, http.RoutePrefix);
        var token = BearerToken.Resolve(http.AuthToken);
        var trust = string.IsNullOrEmpty(http.CaBundle) ? null : CaBundleTrust.Load(http.CaBundle);

        var services = new ServiceCollection();
        services.AddHttpClient(ClientName, client =>
            {
                client.BaseAddress = baseAddress;
                // Each attempt has its own timeout in the pipeline; HttpClient's 100 s default would cut across it.
                client.Timeout = Timeout.InfiniteTimeSpan;
                if (token is not null)
                {
                    client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
                }
            })
            .ConfigurePrimaryHttpMessageHandler(() => CreateHandler(trust))
            // A worker lives as long as its task: one handler for its whole life, no rotation timer.
            .SetHandlerLifetime(Timeout.InfiniteTimeSpan)
            // The default logging handlers would write URLs to a logger nobody reads, at a start-up cost.
            .RemoveAllLoggers();
        var provider = services.BuildServiceProvider();
        try
        {
            var scrubber = new SecretScrubber(token);
            return new JobmonClient(
                provider.GetRequiredService<IHttpClientFactory>().CreateClient(ClientName),
                JobmonPipeline.Create(http, totalCap: null, time, log, scrubber),
                JobmonPipeline.Create(http, totalCap: heartbeat.Interval, time, log, scrubber),
                expectedJobmonVersion,
                clusterName,
                provider);
        }
        catch
        {
            provider.Dispose();
            throw;
        }
    }

    private static SocketsHttpHandler CreateHandler(CaBundleTrust? trust)
    {
        var handler = new SocketsHttpHandler
        {
            // No Accept-Encoding: the server would gzip its answers, which are a few hundred bytes,
            // and the first decompression costs every task about 10 ms of start-up (measured).
            AutomaticDecompression = DecompressionMethods.None,
            // PROTOCOL.md §3: a 302 or 307 is itself the answer (success), not a pointer to follow.
            AllowAutoRedirect = false,
            // Heartbeats go on for days: reconnecting now and then lets a moved server (DNS) be found.
            PooledConnectionLifetime = TimeSpan.FromMinutes(10),
        };
        if (trust is not null)
        {
            handler.SslOptions.RemoteCertificateValidationCallback = trust.Validate;
        }

        return handler;
    }
}
