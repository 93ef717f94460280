namespace WorkerNode.Jobmon;

/// <summary>
/// The answer to "what does the server hold for this task instance": the instance, or that its task has no such
/// instance, or that this server does not offer the route at all (an older server, or one that keeps its CLI
/// routes behind a login the worker does not have).
/// </summary>
/// <param name="Instance">The instance, when the task has it.</param>
/// <param name="NotOffered">Why the server cannot be asked (its answer), when it cannot.</param>
public sealed record TaskInstanceLookup(ServerTaskInstance? Instance, string? NotOffered)
{
    /// <summary>The task has no instance of that id (or there is no such task: the server answers the same, an empty list).</summary>
    public static TaskInstanceLookup Absent { get; } = new(null, null);

    public bool IsOffered => NotOffered is null;

    public static TaskInstanceLookup Found(ServerTaskInstance instance) => new(instance, null);

    public static TaskInstanceLookup Unavailable(string answer) => new(null, answer);
}
