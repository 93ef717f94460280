using System.Globalization;

namespace WorkerNode.Jobmon.Wire;

/// <summary>Body of POST /task_instance/{id}/log_running (PROTOCOL.md §4.2).</summary>
internal sealed record LogRunningBody(string Nodename, string ProcessGroupId, double NextReportIncrement, string? DistributorId)
{
    // The server stores process_group_id as text: send the pid as a string, as the Python worker does.
    public static LogRunningBody From(RunningReport report) => new(
        report.Nodename,
        report.ProcessGroupId.ToString(CultureInfo.InvariantCulture),
        report.NextReportIncrement,
        report.DistributorId);
}
