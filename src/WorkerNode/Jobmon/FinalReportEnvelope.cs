using System.Text.Json;
using WorkerNode.Jobmon.Wire;

namespace WorkerNode.Jobmon;

/// <summary>
/// A final report reduced to what goes on the wire: the route, the exact JSON body, and the status
/// it asks for. It can be written to the spool (<see cref="ToJson"/>) and sent again later, by a
/// different process, with <see cref="IFinalReportSender.SendEnvelopeAsync"/>.
/// </summary>
/// <param name="TaskInstanceId">The instance the report is about.</param>
/// <param name="Route"><see cref="DoneRoute"/> or <see cref="ErrorRoute"/>.</param>
/// <param name="TargetStatus">The status the report asks for; compare it with the server's answer.</param>
/// <param name="Body">The JSON body, exactly as it is POSTed.</param>
public sealed record FinalReportEnvelope(long TaskInstanceId, string Route, TaskInstanceStatus TargetStatus, string Body)
{
    public const string DoneRoute = "log_done";

    public const string ErrorRoute = "log_error_worker_node";

    /// <summary>The envelope of a report: log_done without an error state, log_error_worker_node with one.</summary>
    public static FinalReportEnvelope Create(long taskInstanceId, FinalReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        return report.ErrorState is { } errorState
            ? new(taskInstanceId, ErrorRoute, errorState, JsonSerializer.Serialize(new LogErrorWorkerNodeBody(errorState, report), JobmonJsonContext.Default.LogErrorWorkerNodeBody))
            : new(taskInstanceId, DoneRoute, TaskInstanceStatus.Done, JsonSerializer.Serialize(new FinalReportBody(report), JobmonJsonContext.Default.FinalReportBody));
    }

    /// <summary>Reads an envelope written by <see cref="ToJson"/>; <see cref="JsonException"/> when the text is not one.</summary>
    public static FinalReportEnvelope FromJson(string json) =>
        JsonSerializer.Deserialize(json, JobmonJsonContext.Default.FinalReportEnvelope)
            ?? throw new JsonException("a final report envelope cannot be null");

    /// <summary>The node, distributor id and output paths the body carries; null/empty for what it lacks (or when it is not a JSON object).</summary>
    public ReportedRun Reported()
    {
        try
        {
            using var document = JsonDocument.Parse(Body);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return new ReportedRun(null, null, string.Empty, string.Empty);
            }

            string? Text(string name) =>
                root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

            return new ReportedRun(Text("nodename"), Text("distributor_id"), Text("stdout") ?? string.Empty, Text("stderr") ?? string.Empty);
        }
        catch (JsonException)
        {
            return new ReportedRun(null, null, string.Empty, string.Empty);
        }
    }

    /// <summary>One JSON object: task_instance_id, route, target_status, body.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, JobmonJsonContext.Default.FinalReportEnvelope);
}
