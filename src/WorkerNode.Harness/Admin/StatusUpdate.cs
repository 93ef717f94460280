namespace WorkerNode.Harness.Admin;

/// <summary>The admin body that overrides an instance's status.</summary>
internal sealed record StatusUpdate(string? Status);
