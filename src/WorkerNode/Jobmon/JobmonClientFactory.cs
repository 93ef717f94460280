using WorkerNode.Configuration;
using WorkerNode.Jobmon.Resilience;
using WorkerNode.Jobmon.Transport;
using WorkerNode.Logging;

namespace WorkerNode.Jobmon;

/// <summary>Builds the one <see cref="JobmonClient"/> of a worker from its settings and a <see cref="JobmonTransport"/>.</summary>
public static class JobmonClientFactory
{
    /// <summary>
    /// Builds the client. Nothing is sent yet; a settings problem (no service URL, an unreadable CA
    /// bundle or token file) throws <see cref="JobmonConfigurationException"/> here.
    /// </summary>
    /// <param name="http">Where the server is, how long to try, the token and the CA bundle.</param>
    /// <param name="heartbeat">Unused since heartbeats are single attempts (the heartbeat loop retries them); kept for callers.</param>
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
        time ??= TimeProvider.System;
        return Create(http, heartbeat, expectedJobmonVersion, clusterName, log, time, JobmonTransport.Build(time));
    }

    /// <summary>As <see cref="Create(HttpSettings, HeartbeatSettings, string, string?, WorkerLog, TimeProvider?)"/>, on a transport built beforehand; the client owns it (and disposes it should the settings be unusable).</summary>
    internal static JobmonClient Create(
        HttpSettings http,
        HeartbeatSettings heartbeat,
        string expectedJobmonVersion,
        string? clusterName,
        WorkerLog log,
        TimeProvider time,
        JobmonTransport transport)
    {
        try
        {
            ArgumentNullException.ThrowIfNull(http);
            ArgumentNullException.ThrowIfNull(heartbeat);
            ArgumentException.ThrowIfNullOrEmpty(expectedJobmonVersion);
            ArgumentNullException.ThrowIfNull(log);

            var baseAddress = JobmonAddress.Combine(http.ServiceUrl, http.RoutePrefix);
            var token = BearerToken.Resolve(http.AuthToken);
            transport.TrustAlso(string.IsNullOrEmpty(http.CaBundle) ? null : CaBundleTrust.Load(http.CaBundle));
            transport.SendTo(baseAddress);
            var scrubber = new SecretScrubber(token);
            return new JobmonClient(
                transport,
                baseAddress,
                token,
                new CallRules(RetryBudget.For(http, totalCap: null, time), log, scrubber),
                new CallRules(RetryBudget.SingleAttempt(http, time), log, scrubber),
                expectedJobmonVersion,
                clusterName);
        }
        catch
        {
            transport.Dispose();
            throw;
        }
    }
}
