namespace WorkerNode.Reporting;

/// <summary>What a spool flush does with a report once it has seen the instance on the server.</summary>
public enum SpoolCheckAction
{
    /// <summary>The instance awaits it: send it.</summary>
    Send,

    /// <summary>The instance is in T (overdue, triaging) and the report is a done report: one heartbeat (T → R), then send it.</summary>
    HeartbeatFirst,

    /// <summary>The instance is already in the report's status, on this node: an earlier send landed and only its answer was lost.</summary>
    AlreadyRecorded,

    /// <summary>Another node's or job's instance, or one that no longer awaits a report: set it aside, never sent.</summary>
    SetAside,
}
