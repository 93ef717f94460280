namespace WorkerNode.Scheduler;

/// <summary>Which scheduler (or Jobmon distributor) started this worker, as told by its environment.</summary>
public enum SchedulerKind
{
    Local,
    Slurm,
    Uge,
    JobmonMultiprocess,
    JobmonSequential,
    Pbs,
    Lsf,
}
