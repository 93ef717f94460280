namespace WorkerNode.Configuration;

/// <summary>Every setting the worker uses, after defaults, the YAML file, JOBMON__ variables and flags.</summary>
public sealed record WorkerSettings
{
    public HttpSettings Http { get; init; } = new();

    public HeartbeatSettings Heartbeat { get; init; } = new();

    public WorkerNodeSettings WorkerNode { get; init; } = new();

    /// <summary>What the loader noticed but could go on with (an unknown key in our section): for the log, once it exists.</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];
}
