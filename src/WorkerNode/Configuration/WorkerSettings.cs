namespace WorkerNode.Configuration;

/// <summary>Every setting the worker uses, after defaults, the YAML file, JOBMON__ variables and flags.</summary>
public sealed record WorkerSettings
{
    public HttpSettings Http { get; init; } = new();

    public HeartbeatSettings Heartbeat { get; init; } = new();

    public WorkerNodeSettings WorkerNode { get; init; } = new();
}
