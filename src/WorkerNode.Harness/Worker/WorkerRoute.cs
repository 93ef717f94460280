namespace WorkerNode.Harness.Worker;

/// <summary>One route of the worker API: where it lives, which path parameters must be integers, and what it does.</summary>
/// <param name="NamesTaskInstance">True when the first id is a task instance id (so even a faulted request is filed under it).</param>
internal sealed record WorkerRoute(
    string Name,
    string Method,
    string Pattern,
    IReadOnlyList<string> IdParameters,
    bool NamesTaskInstance,
    Func<WorkerCall, WorkerAnswer> Execute);
