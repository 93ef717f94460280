namespace WorkerNode.Monitoring;

/// <summary>Which cgroup hierarchy holds the worker's memory controller.</summary>
public enum CgroupVersion
{
    /// <summary>The legacy hierarchy: memory.usage_in_bytes, memory.max_usage_in_bytes, memory.oom_control.</summary>
    V1,

    /// <summary>The unified hierarchy: memory.current, memory.peak, memory.events.</summary>
    V2,
}
