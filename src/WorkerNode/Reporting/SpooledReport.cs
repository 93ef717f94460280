using System.Text.Json;
using System.Text.Json.Serialization;
using WorkerNode.Jobmon;

namespace WorkerNode.Reporting;

/// <summary>
/// A final report that could not be delivered, as one spool file: the wire envelope and everything
/// a later <c>worker-node spool flush</c> needs to resend it, plus who wrote it, when and why.
/// </summary>
/// <param name="SpoolFormat">The version of this layout; only <see cref="CurrentFormat"/> is read back.</param>
/// <param name="Report">The route, target status and exact body to POST.</param>
/// <param name="Server">Where it goes.</param>
/// <param name="ClusterName">--cluster_name, for the server's logs (X-Server-Structlog-Context).</param>
/// <param name="CreatedAt">When the worker gave up delivering it.</param>
/// <param name="Host">The worker's node (its FQDN).</param>
/// <param name="Pid">The worker's pid.</param>
/// <param name="Reason">Why it could not be delivered (the client's one-line message, secrets masked).</param>
/// <param name="TaskId">
/// The task the instance belongs to (log_running's answer), by which a flush finds the instance on the server
/// before it sends the report; null in files written before it was recorded (read as before, sent unchecked).
/// </param>
public sealed record SpooledReport(
    int SpoolFormat,
    FinalReportEnvelope Report,
    ReportDestination Server,
    string ClusterName,
    DateTimeOffset CreatedAt,
    string Host,
    int Pid,
    string Reason,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] long? TaskId = null)
{
    public const int CurrentFormat = 1;

    public static SpooledReport Create(FinalReportEnvelope report, ReportDestination server, string clusterName, string host, string reason, DateTimeOffset createdAt, long? taskId = null) =>
        new(CurrentFormat, report, server, clusterName, createdAt, host, Environment.ProcessId, reason, taskId);

    /// <summary>Reads a spool file's text; <see cref="JsonException"/> when it is not a usable report.</summary>
    public static SpooledReport FromJson(string json)
    {
        var report = JsonSerializer.Deserialize(json, SpoolJsonContext.Default.SpooledReport)
            ?? throw new JsonException("a spooled report cannot be null");
        if (report.SpoolFormat != CurrentFormat)
        {
            throw new JsonException($"spool_format {report.SpoolFormat} is not {CurrentFormat}: written by another version of worker-node");
        }

        if (report.Report.Route is not (FinalReportEnvelope.DoneRoute or FinalReportEnvelope.ErrorRoute))
        {
            throw new JsonException($"report.route is \"{report.Report.Route}\", not {FinalReportEnvelope.DoneRoute} or {FinalReportEnvelope.ErrorRoute}");
        }

        if (!Uri.TryCreate(report.Server.ServiceUrl, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
        {
            throw new JsonException("server.service_url is not an http:// or https:// URL");
        }

        return report;
    }

    public byte[] ToUtf8Json() => JsonSerializer.SerializeToUtf8Bytes(this, SpoolJsonContext.Default.SpooledReport);
}
