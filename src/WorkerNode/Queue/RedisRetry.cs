using StackExchange.Redis;
using WorkerNode.Logging;

namespace WorkerNode.Queue;

/// <summary>
/// Runs one queue step until Redis answers: a lost connection, a timeout or a Redis that is still loading its
/// data (a restart) is waited out with a growing pause (0.2 s to 5 s) and one log line per outage; a refused
/// password or ACL ends the worker (<see cref="RedisUnavailableException"/>); a stop cuts the waiting short.
/// </summary>
public sealed class RedisRetry
{
    private static readonly TimeSpan FirstPause = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan LongestPause = TimeSpan.FromSeconds(5);

    private readonly WorkerLog _log;
    private readonly TimeProvider _time;
    private readonly string _where;
    private bool _inOutage;

    public RedisRetry(WorkerLog log, TimeProvider time, string where)
    {
        _log = log;
        _time = time;
        _where = where;
    }

    /// <summary>Whether the last step failed for want of Redis (reset by the next success).</summary>
    public bool InOutage => Volatile.Read(ref _inOutage);

    public async Task<T> RunAsync<T>(string step, Func<Task<T>> operation, CancellationToken cancellationToken)
    {
        var pause = FirstPause;
        while (true)
        {
            try
            {
                var result = await operation().ConfigureAwait(false);
                if (InOutage)
                {
                    Volatile.Write(ref _inOutage, false);
                    _log.Info("Redis answers again", ("redis", _where), ("step", step));
                }

                return result;
            }
            catch (Exception exception) when (IsRefusal(exception))
            {
                throw new RedisUnavailableException($"Redis at {_where} refuses the worker: {Describe(exception)} (check the password in --redis-password-file or REDIS_PASSWORD, and the user's ACL)", exception);
            }
            catch (Exception exception) when (IsUntrusted(exception))
            {
                throw new RedisUnavailableException($"Redis at {_where} presents a certificate the worker does not trust: {Describe(exception)} (give its CA with --redis-ca FILE)", exception);
            }
            catch (Exception exception) when (IsTransient(exception))
            {
                if (!InOutage)
                {
                    Volatile.Write(ref _inOutage, true);
                    _log.Warning("cannot reach Redis; retrying until it answers", ("redis", _where), ("step", step), ("error", Describe(exception)));
                }

                await Task.Delay(pause, _time, cancellationToken).ConfigureAwait(false);
                pause = pause * 2 < LongestPause ? pause * 2 : LongestPause;
            }
        }
    }

    /// <summary>True for failures that waiting can cure: no connection, a timeout, a Redis still loading or read-only during a failover.</summary>
    public static bool IsTransient(Exception exception) => exception switch
    {
        RedisConnectionException or RedisTimeoutException or TimeoutException or IOException => true,
        RedisServerException server => server.Message.StartsWith("LOADING", StringComparison.Ordinal)
            || server.Message.StartsWith("READONLY", StringComparison.Ordinal)
            || server.Message.StartsWith("MASTERDOWN", StringComparison.Ordinal)
            || server.Message.StartsWith("TRYAGAIN", StringComparison.Ordinal),
        _ => false,
    };

    private static bool IsRefusal(Exception exception) => exception switch
    {
        RedisConnectionException { FailureType: ConnectionFailureType.AuthenticationFailure } => true,
        RedisServerException server => server.Message.StartsWith("NOAUTH", StringComparison.Ordinal)
            || server.Message.StartsWith("WRONGPASS", StringComparison.Ordinal)
            || server.Message.StartsWith("NOPERM", StringComparison.Ordinal),
        // With AbortOnConnectFail off, a refused AUTH surfaces as "no connection available" carrying the server's answer.
        RedisConnectionException connection => connection.Message.Contains("AuthenticationFailure", StringComparison.Ordinal)
            || connection.Message.Contains("NOAUTH", StringComparison.Ordinal)
            || connection.Message.Contains("WRONGPASS", StringComparison.Ordinal)
            || connection.InnerException is RedisServerException inner && IsRefusal(inner),
        _ => false,
    };

    /// <summary>A TLS certificate that fails validation will not become valid by waiting.</summary>
    private static bool IsUntrusted(Exception exception) =>
        exception is RedisConnectionException && exception.Message.Contains("remote certificate is invalid", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// The library's message without its diagnostics (thread-pool figures after ", mc:"), first line only; for a
    /// refusal, the server's own answer. It names the endpoint and the command, never the password.
    /// </summary>
    private static string Describe(Exception exception)
    {
        var message = exception.Message;
        var answer = message.IndexOf("Error: ", StringComparison.Ordinal);
        if (answer >= 0 && (message.Contains("NOAUTH", StringComparison.Ordinal) || message.Contains("WRONGPASS", StringComparison.Ordinal)))
        {
            message = message[(answer + "Error: ".Length)..];
            var sentence = message.IndexOf(". ", StringComparison.Ordinal);
            return sentence < 0 ? message : message[..sentence];
        }

        var certificate = message.IndexOf("The remote certificate", StringComparison.Ordinal);
        if (certificate >= 0)
        {
            return message[certificate..].Split(['\r', '\n'])[0];
        }

        var end = message.IndexOfAny(['\r', '\n']);
        message = end < 0 ? message : message[..end];
        var diagnostics = message.IndexOf(", mc: ", StringComparison.Ordinal);
        return diagnostics < 0 ? message : message[..diagnostics];
    }
}
