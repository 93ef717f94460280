namespace WorkerNode.Harness.State;

/// <summary>One status change of an instance; <c>From</c> is null for the status it was created with.</summary>
public sealed record StatusChange(string? From, string To, DateTimeOffset Time, string Cause);
