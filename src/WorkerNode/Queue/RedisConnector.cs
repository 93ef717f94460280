using StackExchange.Redis;

namespace WorkerNode.Queue;

/// <summary>
/// Opens the worker's one Redis connection with StackExchange.Redis, the client the .NET ecosystem trusts.
/// Measured on this machine under Native AOT (a probe publishing with -p:PublishAot=true): 2.13.23 and 3.4.35
/// both publish with 0 trim/AOT warnings; connecting and a first PING take a median ~30 ms in process against
/// ~10 ms for a bare socket's connect and PING (paid once per worker process, not per item), and the library
/// adds ~5 MiB to the file. 2.13 is taken for its long-established API. It multiplexes one socket and has no
/// real support for blocking commands: the worker only ever has one command in flight while it blocks in
/// BLMOVE (a lease is renewed only while a command runs, never during a take), and each block stays well
/// below the library's response timeout (see <see cref="WorkQueue.LongestBlock"/>).
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
            AsyncTimeout = 15_000,
            SyncTimeout = 15_000,
            // The library's own timer (timeouts, keep-alive) wakes the process every second by default; an idle
            // worker should sleep. 5 s is still far inside the 15 s timeout.
            HeartbeatInterval = TimeSpan.FromSeconds(5),
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
