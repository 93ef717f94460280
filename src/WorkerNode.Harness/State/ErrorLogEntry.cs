namespace WorkerNode.Harness.State;

/// <summary>One row of an instance's error log, as log_error_worker_node adds it.</summary>
public sealed record ErrorLogEntry(string? ErrorState, string? Description, DateTimeOffset Time);
