namespace WorkerNode.Jobmon;

/// <summary>
/// Where a final report says its command ran, read back from its body: what a spool flush compares with the
/// instance the server holds, and what a heartbeat sent ahead of it repeats.
/// </summary>
/// <param name="Nodename">The body's nodename (the worker's FQDN), or null when it has none.</param>
/// <param name="DistributorId">The body's distributor_id, or null when the worker knew none.</param>
/// <param name="Stdout">The body's stdout path ("" when it has none).</param>
/// <param name="Stderr">The body's stderr path ("" when it has none).</param>
public sealed record ReportedRun(string? Nodename, string? DistributorId, string Stdout, string Stderr);
