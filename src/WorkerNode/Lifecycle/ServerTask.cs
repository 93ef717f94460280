namespace WorkerNode.Lifecycle;

/// <summary>Which task instance a server-mode worker serves: given directly, or found from its array placement.</summary>
public abstract record ServerTask
{
    private ServerTask()
    {
    }

    /// <summary>worker_node_job --task_instance_id.</summary>
    public sealed record Job(long TaskInstanceId) : ServerTask;

    /// <summary>worker_node_array --array_id --batch_number (the step id comes from the scheduler).</summary>
    public sealed record ArrayTask(long ArrayId, long BatchNumber) : ServerTask;
}
