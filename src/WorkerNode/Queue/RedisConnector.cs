using StackExchange.Redis;

namespace WorkerNode.Queue;

/// <summary>
/// Opens the worker's one Redis connection with StackExchange.Redis. Measured here under Native AOT
/// (2.13.23): it publishes with no trim or AOT warning; its first connection and PING take tens of
/// milliseconds more than a bare socket's, paid once per worker process, not per item. It multiplexes one
/// socket and has no real support for blocking commands: the worker only ever has one command in flight
/// while it blocks in BLMOVE (its lease is renewed only while a command runs, never during a take), and the
/// block is kept well below the library's response timeout (see <see cref="WorkQueue.LongestBlock"/>).
/// </summary>
public static class RedisConnector
{
    /// <summary>The library's options: no pub/sub side connection, fail fast while disconnected (the worker retries
    /// each step itself, with its own backoff and log lines), and quick reconnection after a Redis restart.</summary>
    public static ConfigurationOptions Options(RedisAddress address, string? password, string? caFile)
    {
        ArgumentNullException.ThrowIfNull(address);
        var options = new ConfigurationOptions
        {
            AbortOnConnectFail = false,
            ClientName = "worker-node",
            User = address.User,
            Password = password ?? address.Password,
            Ssl = address.Tls,
            SslHost = address.Tls ? address.Host : null,
            DefaultDatabase = address.Database,
            ConnectTimeout = 5000,
            AsyncTimeout = 10_000,
            SyncTimeout = 10_000,
            ConnectRetry = 1,
            KeepAlive = 30,
            // The worker uses neither the configuration channel nor the tie-breaker key: leaving them out spares
            // a subscription connection and a GET at every connect.
            ConfigurationChannel = string.Empty,
            TieBreaker = string.Empty,
            BacklogPolicy = BacklogPolicy.FailFast,
            ReconnectRetryPolicy = new LinearRetry(500),
        };
        options.EndPoints.Add(address.Host, address.Port);
        if (caFile is not null)
        {
            options.TrustIssuer(caFile);
        }

        return options;
    }

    public static async Task<IConnectionMultiplexer> ConnectAsync(ConfigurationOptions options) =>
        await ConnectionMultiplexer.ConnectAsync(options).ConfigureAwait(false);
}
