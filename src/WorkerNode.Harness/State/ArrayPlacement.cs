namespace WorkerNode.Harness.State;

/// <summary>Where an instance sits in an array job: what get_array_task_instance_id looks up.</summary>
public readonly record struct ArrayPlacement(long ArrayId, long BatchNumber, long ArrayStepId);
