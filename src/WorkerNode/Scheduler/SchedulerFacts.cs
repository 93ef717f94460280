namespace WorkerNode.Scheduler;

/// <summary>
/// What the scheduler's environment says about this task (PROTOCOL.md §6): the distributor id the
/// server knows the job by, and the array step id of an array task.
/// </summary>
/// <param name="Kind">The scheduler detected.</param>
/// <param name="DistributorId">The job id as the distributor records it; the worker's pid when run locally.</param>
/// <param name="ArrayStepId">This task's index within its array, when the scheduler says.</param>
public sealed record SchedulerFacts(SchedulerKind Kind, string DistributorId, long? ArrayStepId);
