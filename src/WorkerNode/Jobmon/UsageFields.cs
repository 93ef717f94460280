namespace WorkerNode.Jobmon;

/// <summary>
/// Usage in the columns of the server's task_instance table (PROTOCOL.md §4, ours): decimal
/// strings — wallclock and cpu in seconds, maxrss, maxpss and io in bytes — and a readable summary.
/// </summary>
public sealed record UsageFields(string Wallclock, string? Maxrss, string? Maxpss, string? Cpu, string? Io, string UsageStr);
