namespace WorkerNode.Monitoring;

/// <summary>
/// What the worker's memory cgroup says: its figures cover every process in it (the worker too) and the page
/// cache they caused; under Slurm that is the job's or step's cgroup.
/// </summary>
/// <param name="Version">v1 or v2.</param>
/// <param name="Directory">The cgroup's directory.</param>
/// <param name="CurrentBytes">Usage at the last reading.</param>
/// <param name="PeakBytes">The highest usage: memory.peak / memory.max_usage_in_bytes (since the cgroup was created), or the highest sampled.</param>
/// <param name="LimitBytes">The cgroup's limit; null when unlimited.</param>
/// <param name="OomKills">Kernel OOM kills in the cgroup while the command ran; null when the kernel does not count them.</param>
public sealed record CgroupUsage(CgroupVersion Version, string Directory, long? CurrentBytes, long? PeakBytes, long? LimitBytes, long? OomKills);
