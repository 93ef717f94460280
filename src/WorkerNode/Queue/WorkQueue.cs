using System.Globalization;
using StackExchange.Redis;

namespace WorkerNode.Queue;

/// <summary>
/// The queue's operations, one Redis round trip each: take (BLMOVE into NAME:processing), start (lease and
/// attempt), renew, finish, requeue, recover, and a look at the kill switch. Each either completes or throws
/// the library's exception; <see cref="RedisRetry"/> decides what to do about it.
/// </summary>
public sealed class WorkQueue
{
    /// <summary>
    /// The longest a take blocks in Redis: well below the library's 15 s response timeout, short enough that a
    /// kill switch or a stop signal is seen within it while the queue is empty, long enough that an idle worker
    /// wakes rarely (each wake-up costs the thread pool a little spinning; the budget is 0.1 % of a core).
    /// </summary>
    public static readonly TimeSpan LongestBlock = TimeSpan.FromSeconds(5);

    private readonly IDatabase _database;

    public WorkQueue(IConnectionMultiplexer connection, QueueKeys keys)
    {
        ArgumentNullException.ThrowIfNull(connection);
        _database = connection.GetDatabase();
        Keys = keys;
    }

    public QueueKeys Keys { get; }

    /// <summary>Moves the oldest item into NAME:processing, waiting up to <paramref name="block"/>; null when none came.</summary>
    public async Task<string?> TakeAsync(TimeSpan block)
    {
        var seconds = Math.Clamp(block.TotalSeconds, 0.01, LongestBlock.TotalSeconds).ToString("0.###", CultureInfo.InvariantCulture);
        var result = await _database.ExecuteAsync("BLMOVE", (RedisKey)Keys.Pending, (RedisKey)Keys.Processing, "RIGHT", "LEFT", seconds).ConfigureAwait(false);
        return result.IsNull ? null : (string?)result;
    }

    /// <summary>Writes the lease of a started item and gives its attempt number.</summary>
    public async Task<int> StartAsync(string id, string leaseHead, TimeSpan ttl)
    {
        var result = await _database.ScriptEvaluateAsync(
            QueueScripts.Start,
            [Keys.Lease(id), Keys.Attempts, Keys.Unleased],
            [leaseHead, Milliseconds(ttl), id]).ConfigureAwait(false);
        return (int)result;
    }

    /// <summary>Renews the lease; false when another worker holds it now.</summary>
    public async Task<bool> RenewAsync(string id, string lease, TimeSpan ttl, string token)
    {
        var result = await _database.ScriptEvaluateAsync(QueueScripts.Renew, [Keys.Lease(id)], [lease, Milliseconds(ttl), token]).ConfigureAwait(false);
        return (int)result == 1;
    }

    /// <summary>Writes the final record and removes the item from processing, as one step.</summary>
    public async Task<FinishOutcome> FinishAsync(string raw, string id, string record, bool succeeded, string token)
    {
        var result = (RedisResult[])(await _database.ScriptEvaluateAsync(
            QueueScripts.Finish,
            [Keys.Processing, Keys.Pending, succeeded ? Keys.Done : Keys.Failed, Keys.Lease(id), Keys.Attempts, Keys.Stop],
            [raw, record, id, token]).ConfigureAwait(false))!;
        return new FinishOutcome((int)result[0] == 1, (int)result[1] == 1);
    }

    /// <summary>Puts an interrupted item back where it is taken next; false when it was no longer in processing.</summary>
    public async Task<bool> RequeueAsync(string raw, string id, string token)
    {
        var result = await _database.ScriptEvaluateAsync(QueueScripts.Requeue, [Keys.Processing, Keys.Pending, Keys.Lease(id)], [raw, token]).ConfigureAwait(false);
        return (int)result == 1;
    }

    /// <summary>Returns to the queue (or gives up) the items whose lease is gone for longer than <paramref name="grace"/>.</summary>
    public async Task<(int Requeued, int GivenUp)> RecoverAsync(TimeSpan grace, int defaultMaxAttempts, string node)
    {
        var result = (RedisResult[])(await _database.ScriptEvaluateAsync(
            QueueScripts.Recover,
            [Keys.Processing, Keys.Pending, Keys.Failed, Keys.Attempts, Keys.Unleased],
            [Keys.LeasePrefix, Milliseconds(grace), defaultMaxAttempts, node, Environment.ProcessId]).ConfigureAwait(false))!;
        return ((int)result[0], (int)result[1]);
    }

    /// <summary>Whether the kill switch NAME:stop is set.</summary>
    public Task<bool> StopRequestedAsync() => _database.KeyExistsAsync(Keys.Stop);

    private static long Milliseconds(TimeSpan span) => Math.Max(1, (long)span.TotalMilliseconds);
}
