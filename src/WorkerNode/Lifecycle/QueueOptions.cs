using WorkerNode.Queue;

namespace WorkerNode.Lifecycle;

/// <summary>What <c>worker-node queue</c> was asked to do, besides the common settings.</summary>
/// <param name="Redis">Where Redis is.</param>
/// <param name="Password">From --redis-password-file or REDIS_PASSWORD (never logged), else null.</param>
/// <param name="CaFile">A CA certificate to trust for rediss://, else null.</param>
/// <param name="Keys">The queue's keys.</param>
/// <param name="OutputDirectory">Where {id}.out and {id}.err go; null passes the output through.</param>
/// <param name="IdleExit">Exit 0 once the queue has been empty this long; null never.</param>
/// <param name="MaxItems">Exit 0 after this many items; null never.</param>
/// <param name="MaxAttempts">An item's max_attempts when it names none.</param>
/// <param name="RedisWait">How long the first contact with Redis may take (it may be starting too).</param>
public sealed record QueueOptions(
    RedisAddress Redis,
    string? Password,
    string? CaFile,
    QueueKeys Keys,
    string? OutputDirectory,
    TimeSpan? IdleExit,
    int? MaxItems,
    int MaxAttempts,
    TimeSpan RedisWait);
