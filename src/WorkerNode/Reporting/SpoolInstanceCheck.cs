using WorkerNode.Jobmon;

namespace WorkerNode.Reporting;

/// <summary>
/// Decides whether the instance a server holds still awaits a spooled report (docs/spool.md): it must have run on the
/// report's node, under the report's distributor id (when the report has one), and be in a status from which the
/// server's state table (PROTOCOL.md §8) moves it to the report's target.
/// </summary>
public static class SpoolInstanceCheck
{
    public static SpoolCheckVerdict Judge(FinalReportEnvelope report, ServerTaskInstance instance)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(instance);
        var run = report.Reported();
        var mismatches = new List<string>();

        // The report's own node and job: log_running recorded the same values on the instance it ran for. Another
        // value there means the instance is another run's (a retry elsewhere, or an id reused by a new server).
        if (run.Nodename is { } node && !string.Equals(instance.Nodename, node, StringComparison.Ordinal))
        {
            mismatches.Add($"nodename: the report's is {node}, the server's instance has {Shown(instance.Nodename)}");
        }

        // A worker that knew no distributor id sent none in log_running; what the instance holds then came from the
        // distributor, and there is nothing of the report's to compare it with.
        if (run.DistributorId is { } job && !string.Equals(instance.DistributorId, job, StringComparison.Ordinal))
        {
            mismatches.Add($"distributor_id: the report's is {job}, the server's instance has {Shown(instance.DistributorId)}");
        }

        if (mismatches.Count > 0)
        {
            return new SpoolCheckVerdict(SpoolCheckAction.SetAside, $"task instance {instance.TaskInstanceId} on the server is not the run this report is about ({string.Join("; ", mismatches)})");
        }

        var target = report.TargetStatus;
        if (instance.Status is not { } status)
        {
            // A label this version does not know: the server's own state table still decides when the report arrives.
            return new SpoolCheckVerdict(SpoolCheckAction.Send, $"the server shows status {instance.StatusLabel}, which this version does not know; sent, and the server's answer decides");
        }

        if (status == target)
        {
            return new SpoolCheckVerdict(SpoolCheckAction.AlreadyRecorded, $"the server already shows status {status} ({instance.StatusLabel}) on this node: an earlier send landed");
        }

        if (status == TaskInstanceStatus.Triaging && target == TaskInstanceStatus.Done)
        {
            // The server refuses T -> D; a heartbeat moves T -> R (its rule for a worker that turns out to be alive).
            return new SpoolCheckVerdict(SpoolCheckAction.HeartbeatFirst, "the server shows status T (TRIAGING): a heartbeat first brings it back to R");
        }

        return Awaits(status, target)
            ? new SpoolCheckVerdict(SpoolCheckAction.Send, $"the server shows status {status} ({instance.StatusLabel}) on this node")
            : new SpoolCheckVerdict(SpoolCheckAction.SetAside, $"task instance {instance.TaskInstanceId} is in status {status} ({instance.StatusLabel}) on the server, from which it would not accept a report of {target}");
    }

    /// <summary>
    /// The server's table for a final report: R → D, E, Z; K → D, F; an error report in T is accepted (the server's
    /// log_error_worker_node moves T → R first, then R → E or Z; R → F is not in the table, so F only from K).
    /// </summary>
    private static bool Awaits(TaskInstanceStatus status, TaskInstanceStatus target) => target.Letter switch
    {
        'D' => status == TaskInstanceStatus.Running || status == TaskInstanceStatus.KillSelf,
        'E' or 'Z' => status == TaskInstanceStatus.Running || status == TaskInstanceStatus.Triaging,
        'F' => status == TaskInstanceStatus.KillSelf,
        _ => false,
    };

    private static string Shown(string? value) => value is null ? "none" : value;
}
