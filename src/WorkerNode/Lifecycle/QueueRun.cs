using StackExchange.Redis;
using WorkerNode.Cli;
using WorkerNode.Configuration;
using WorkerNode.Execution;
using WorkerNode.Interop;
using WorkerNode.Logging;
using WorkerNode.Queue;
using WorkerNode.Reporting.Profiles;

namespace WorkerNode.Lifecycle;

/// <summary>
/// Work-queue mode: take an item from the Redis list NAME, run it under the same process control as <c>run</c>,
/// finish it, and again; recover the items of dead workers at start and every heartbeat interval. Ends with 0
/// on a stop signal (the running item goes back on the queue), when the kill switch NAME:stop is set, after
/// --idle-exit of an empty queue, or after --max-items.
/// </summary>
public sealed class QueueRun
{
    private readonly QueueOptions _options;
    private readonly WorkerSettings _settings;
    private readonly IReadOnlyDictionary<string, string> _environment;
    private readonly WorkerLog _log;
    private readonly TimeProvider _time;
    private readonly string _node = Environment.MachineName;

    public QueueRun(QueueOptions options, WorkerSettings settings, IReadOnlyDictionary<string, string> environment, WorkerLog log, TimeProvider time)
    {
        _options = options;
        _settings = settings;
        _environment = environment;
        _log = log;
        _time = time;
    }

    public async Task<int> ExecuteAsync(CancellationToken cancellationToken)
    {
        if (_options.OutputDirectory is { } directory && !TryPrepare(directory))
        {
            return ExitCodes.Environment;
        }

        if (_settings.WorkerNode.MetricsDir is { } metrics && !TryPrepareMetrics(metrics))
        {
            return ExitCodes.Environment;
        }

        using var signals = new SignalRouter();
        // After a stop signal the worker still puts its item back or writes its record, but gives up on an
        // unreachable Redis once the grace is over (the lease then expires and another worker recovers the item).
        using var finishing = new CancellationTokenSource();
        using var onStop = signals.Stopped.Register(() => finishing.CancelAfter(_settings.WorkerNode.CommandInterruptTimeout));
        _log.Context.Nodename = _node;

        ConfigurationOptions redisOptions;
        try
        {
            redisOptions = RedisConnector.Options(_options.Redis, _options.Password, _options.CaFile);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException)
        {
            _log.Error($"cannot read the CA certificate {_options.CaFile}: {exception.Message}");
            return ExitCodes.Environment;
        }

        using var connection = await RedisConnector.ConnectAsync(redisOptions).ConfigureAwait(false);
        var queue = new WorkQueue(connection, _options.Keys);
        var retry = new RedisRetry(_log, _time, _options.Redis.Display);
        try
        {
            if (!await FirstContactAsync(queue, signals.Stopped).ConfigureAwait(false))
            {
                return signals.StopSignal is null ? ExitCodes.WorkerFailed : 0;
            }

            return await LoopAsync(queue, retry, signals, finishing.Token).ConfigureAwait(false);
        }
        catch (RedisUnavailableException exception)
        {
            _log.Error(exception.Message);
            return ExitCodes.Environment;
        }
        catch (RedisServerException exception)
        {
            // E.g. a Redis older than 6.2 (no BLMOVE), or NAME holding a string instead of a list.
            _log.Error($"Redis at {_options.Redis.Display} answered an error: {exception.Message} (work-queue mode needs Redis 6.2 or newer, and NAME and its NAME:* keys for itself)");
            return ExitCodes.WorkerFailed;
        }
        catch (OperationCanceledException) when (signals.StopSignal is not null || cancellationToken.IsCancellationRequested)
        {
            _log.Info("stopped while Redis was out of reach");
            return 0;
        }
    }

    private async Task<int> LoopAsync(WorkQueue queue, RedisRetry retry, SignalRouter signals, CancellationToken finishing)
    {
        var interval = _settings.Heartbeat.Interval;
        var runner = new ItemRunner(_options, _settings, _environment, _log, _time, queue, signals, _node);
        _log.Info(
            "serving the queue",
            ("queue", _options.Keys.Name),
            ("redis", _options.Redis.Display),
            ("lease_ttl", runner.LeaseTtl),
            ("idle_exit", _options.IdleExit),
            ("max_items", _options.MaxItems));
        var lastRecovery = await RecoverAsync(queue, retry, interval, signals.Stopped).ConfigureAwait(false);
        var idleSince = _time.GetTimestamp();
        var items = 0;
        var stopRequested = await retry.RunAsync("kill switch", queue.StopRequestedAsync, signals.Stopped).ConfigureAwait(false);
        while (true)
        {
            if (signals.StopSignal is { } signal)
            {
                _log.Info("stopping on a signal", ("signal", Interop.Signals.Name(signal)), ("items", items));
                return 0;
            }

            if (stopRequested)
            {
                _log.Info("the kill switch is set: stopping", ("key", _options.Keys.Stop), ("items", items));
                return 0;
            }

            if (_options.MaxItems is { } max && items >= max)
            {
                _log.Info("done the items asked for: stopping", ("items", items));
                return 0;
            }

            if (_time.GetElapsedTime(lastRecovery) >= interval)
            {
                lastRecovery = await RecoverAsync(queue, retry, interval, signals.Stopped).ConfigureAwait(false);
            }

            var block = interval < WorkQueue.LongestBlock ? interval : WorkQueue.LongestBlock;
            if (_options.IdleExit is { } idleExit)
            {
                var left = idleExit - _time.GetElapsedTime(idleSince);
                if (left <= TimeSpan.Zero)
                {
                    _log.Info("the queue has been empty for the idle time: stopping", ("idle_exit", idleExit), ("items", items));
                    return 0;
                }

                block = left < block ? left : block;
            }

            // The take itself is not cut short by a signal: it ends within `block`, and an item it brings in
            // after the signal goes straight back.
            var raw = await retry.RunAsync("take", () => queue.TakeAsync(block), signals.Stopped).ConfigureAwait(false);
            if (raw is null)
            {
                stopRequested = await retry.RunAsync("kill switch", queue.StopRequestedAsync, signals.Stopped).ConfigureAwait(false);
                continue;
            }

            if (signals.StopSignal is not null)
            {
                ItemParser.TryParse(raw, out _, out var id, out _);
                await retry.RunAsync("requeue", () => queue.RequeueAsync(raw, id, "-"), finishing).ConfigureAwait(false);
                continue;
            }

            var outcome = await runner.RunAsync(raw, finishing).ConfigureAwait(false);
            items++;
            stopRequested = outcome.StopRequested;
            idleSince = _time.GetTimestamp();
        }
    }

    /// <summary>Waits for Redis to answer a first time (it may be starting beside the worker); false after --redis-wait.</summary>
    private async Task<bool> FirstContactAsync(WorkQueue queue, CancellationToken stopped)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(stopped);
        deadline.CancelAfter(_options.RedisWait);
        try
        {
            await new RedisRetry(_log, _time, _options.Redis.Display).RunAsync("connect", queue.StopRequestedAsync, deadline.Token).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException) when (!stopped.IsCancellationRequested)
        {
            _log.Error($"cannot reach Redis at {_options.Redis.Display} within {DisplayFormat.Duration(_options.RedisWait)} (check --redis, the network and the server; --redis-wait waits longer)");
            return false;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private async Task<long> RecoverAsync(WorkQueue queue, RedisRetry retry, TimeSpan interval, CancellationToken stopped)
    {
        var (requeued, givenUp) = await retry.RunAsync("recover", () => queue.RecoverAsync(interval, _options.MaxAttempts, _node), stopped).ConfigureAwait(false);
        if (requeued + givenUp > 0)
        {
            _log.Warning("recovered the items of workers whose lease expired", ("requeued", requeued), ("given_up", givenUp));
        }

        return _time.GetTimestamp();
    }

    /// <summary>A metrics directory that cannot be used is found before the first item, not after it has run.</summary>
    private bool TryPrepareMetrics(string directory)
    {
        try
        {
            FileSafety.EnsureDirectory(directory);
            return true;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            _log.Error($"cannot write profiles to worker_node.metrics_dir {directory}: {exception.Message}");
            return false;
        }
    }

    /// <summary>
    /// The output directory is checked as the log files' directories are: created owner-only, refused when anyone
    /// may write into it without the sticky bit, and writable by this user. No probe file: one at a predictable
    /// name would be written through a symlink planted there.
    /// </summary>
    private bool TryPrepare(string directory)
    {
        try
        {
            FileSafety.EnsureDirectory(directory);
            if (!SafeFiles.CanWriteIn(directory))
            {
                throw new IOException("permission denied");
            }

            return true;
        }
        catch (IOException exception)
        {
            _log.Error($"cannot write to the output directory {directory}: {exception.Message}");
            return false;
        }
    }
}
