namespace WorkerNode.Configuration;

/// <summary>What to do when no heartbeat has been accepted for longer than next_report_increment.</summary>
public enum LostServerPolicy
{
    /// <summary>Stop the command: the server's reaper has given the instance up and may start a retry.</summary>
    Stop,

    /// <summary>Let the command finish anyway.</summary>
    Continue,
}
