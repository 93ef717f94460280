namespace WorkerNode.Harness.State;

/// <summary>The admin body that creates a task instance; only <c>command</c> is required.</summary>
public sealed record NewTaskInstance(
    string? Command,
    string? Name = null,
    string? StdoutDir = null,
    string? StderrDir = null,
    string? Status = null,
    long? WorkflowRunId = null,
    long? TaskId = null,
    long? WorkflowId = null,
    long? ArrayId = null,
    long? BatchNumber = null,
    long? ArrayStepId = null)
{
    /// <summary>The array placement when all three parts are given, else null.</summary>
    public ArrayPlacement? Placement() =>
        ArrayId is { } array && BatchNumber is { } batch && ArrayStepId is { } step ? new ArrayPlacement(array, batch, step) : null;

    /// <summary>True when some but not all of the three placement parts are given.</summary>
    public bool HasPartialPlacement() =>
        Placement() is null && (ArrayId is not null || BatchNumber is not null || ArrayStepId is not null);
}
