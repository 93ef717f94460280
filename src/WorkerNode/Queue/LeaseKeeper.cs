using System.Text.Json;
using WorkerNode.Logging;

namespace WorkerNode.Queue;

/// <summary>
/// Holds the lease of the item a worker runs: writes it once the command has started (learning the attempt),
/// then renews it every heartbeat interval until the command ends. Works beside the command on its own task, so
/// that a Redis outage delays the lease, never the command; a renewal that finds another worker's lease (this one
/// expired and the item was recovered) stops renewing and says so.
/// </summary>
public sealed class LeaseKeeper
{
    private readonly WorkQueue _queue;
    private readonly Lease _lease;
    private readonly TimeSpan _ttl;
    private readonly TimeSpan _interval;
    private readonly WorkerLog _log;
    private readonly TimeProvider _time;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private int _attempt;

    private LeaseKeeper(WorkQueue queue, Lease lease, TimeSpan ttl, TimeSpan interval, WorkerLog log, TimeProvider time)
    {
        _queue = queue;
        _lease = lease;
        _ttl = ttl;
        _interval = interval;
        _log = log;
        _time = time;
        _loop = Task.Run(KeepAsync);
    }

    /// <summary>Starts holding <paramref name="lease"/> (written at once, then every <paramref name="interval"/>, each time for <paramref name="ttl"/>).</summary>
    public static LeaseKeeper Start(WorkQueue queue, Lease lease, TimeSpan ttl, TimeSpan interval, WorkerLog log, TimeProvider time) =>
        new(queue, lease, ttl, interval, log, time);

    /// <summary>Stops renewing; gives the attempt number, or null when Redis never took the lease.</summary>
    public async Task<int?> StopAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await _loop.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        _stop.Dispose();
        // 0: Redis never took the lease while the command ran.
        var attempt = Volatile.Read(ref _attempt);
        return attempt == 0 ? null : attempt;
    }

    private async Task KeepAsync()
    {
        var retry = new RedisRetry(_log, _time, "lease");
        var json = JsonSerializer.Serialize(_lease, QueueJsonContext.Readable.Lease);
        var attempt = await retry.RunAsync("lease", () => _queue.StartAsync(_lease.Id, json[..^1], _ttl), _stop.Token).ConfigureAwait(false);
        Volatile.Write(ref _attempt, attempt);
        var renewal = JsonSerializer.Serialize(_lease with { Attempt = attempt }, QueueJsonContext.Readable.Lease);
        while (true)
        {
            await Task.Delay(_interval, _time, _stop.Token).ConfigureAwait(false);
            if (!await retry.RunAsync("renew lease", () => _queue.RenewAsync(_lease.Id, renewal, _ttl, _lease.Token), _stop.Token).ConfigureAwait(false))
            {
                _log.Warning("another worker holds this item's lease now (this one expired and the item was recovered); its first result will stand", ("item", _lease.Id));
                return;
            }
        }
    }
}
