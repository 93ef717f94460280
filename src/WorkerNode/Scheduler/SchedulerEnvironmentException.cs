namespace WorkerNode.Scheduler;

/// <summary>The scheduler's environment is inconsistent (e.g. a non-numeric array index); the caller exits 198.</summary>
public sealed class SchedulerEnvironmentException : Exception
{
    public SchedulerEnvironmentException(string message)
        : base(message)
    {
    }
}
