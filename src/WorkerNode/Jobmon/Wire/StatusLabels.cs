namespace WorkerNode.Jobmon.Wire;

/// <summary>
/// The labels of the real server's task_instance_status table (jobmon_server models/task_instance_status.py), which
/// its CLI and GUI routes answer instead of the letters. Q and O share the label QUEUED there (older databases call
/// O LAUNCHED); a flush never needs to tell them apart: neither awaits a final report.
/// </summary>
internal static class StatusLabels
{
    private static readonly Dictionary<string, TaskInstanceStatus> ByLabel = new(StringComparer.OrdinalIgnoreCase)
    {
        ["DONE"] = TaskInstanceStatus.Done,
        ["ERROR"] = TaskInstanceStatus.Error,
        ["ERROR_FATAL"] = TaskInstanceStatus.Fatal,
        ["INSTANTIATED"] = TaskInstanceStatus.Instantiated,
        ["KILL_SELF"] = TaskInstanceStatus.KillSelf,
        ["LAUNCHED"] = TaskInstanceStatus.Launched,
        ["QUEUED"] = TaskInstanceStatus.Queued,
        ["RUNNING"] = TaskInstanceStatus.Running,
        ["TRIAGING"] = TaskInstanceStatus.Triaging,
        ["UNKNOWN_ERROR"] = TaskInstanceStatus.UnknownError,
        ["NO_DISTRIBUTOR_ID"] = TaskInstanceStatus.NoDistributorId,
        ["NO_HEARTBEAT"] = TaskInstanceStatus.NoHeartbeat,
        ["RESOURCE_ERROR"] = TaskInstanceStatus.ResourceError,
    };

    /// <summary>The letter of a label (or of a letter, should a server answer one); null when it is neither.</summary>
    public static TaskInstanceStatus? ToStatus(string label) =>
        ByLabel.TryGetValue(label, out var status) ? status
        : TaskInstanceStatus.TryParse(label, out var letter) ? letter
        : null;
}
