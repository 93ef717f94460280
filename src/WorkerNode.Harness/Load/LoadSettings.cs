namespace WorkerNode.Harness.Load;

/// <summary>
/// A model of the real server under load (one FastAPI process, a small database pool): at most
/// <see cref="Concurrency"/> worker requests served at once, each taking <see cref="ServiceSeconds"/>;
/// the rest wait, up to <see cref="QueueLimit"/>; past it a new request's connection is dropped. Plus
/// <see cref="SlowSeconds"/>: every answer delayed (a slow server, whatever the load). All zero: off.
/// Also the admin body of <c>PUT /admin/load</c>.
/// </summary>
public sealed record LoadSettings(int? Concurrency = 0, double? ServiceSeconds = 0, int? QueueLimit = 0, double? SlowSeconds = 0)
{
    public static LoadSettings Off { get; } = new();

    /// <summary>Whether requests are limited to <see cref="Concurrency"/> at a time.</summary>
    public bool Limited => Concurrency > 0;

    /// <summary>What is wrong with these settings, or null.</summary>
    public string? Problem() =>
        Concurrency is null or < 0 ? "concurrency must be 0 (unlimited) or more"
        : ServiceSeconds is null or < 0 ? "service_seconds must be 0 or more"
        : QueueLimit is null or < 0 ? "queue_limit must be 0 (unbounded) or more"
        : SlowSeconds is null or < 0 ? "slow_seconds must be 0 or more"
        : null;
}
