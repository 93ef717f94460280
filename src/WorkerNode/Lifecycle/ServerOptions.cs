namespace WorkerNode.Lifecycle;

/// <summary>What a server-mode worker was started with.</summary>
public sealed record ServerOptions(ServerTask Task, string ClusterName, string ExpectedJobmonVersion);
