namespace WorkerNode.Harness.Load;

/// <summary>
/// What the load model saw since it was last set (<c>GET /admin/load</c>): requests by route, how
/// many were served, dropped at the queue's bound, or abandoned by their client while they waited
/// or were served; and the high-water marks of the queue and of requests outstanding.
/// </summary>
public sealed record LoadStatistics(
    LoadSettings Settings,
    long Requests,
    IReadOnlyDictionary<string, long> RequestsByRoute,
    long Served,
    long Refused,
    long Abandoned,
    int Queued,
    int InService,
    int MaxQueueDepth,
    int MaxOutstanding);
