using System.Net;

namespace WorkerNode.Reporting.WorkflowReport;

/// <summary>Escaping for text and attribute values in the report's HTML.</summary>
internal static class Html
{
    public static string Text(string value) => WebUtility.HtmlEncode(value);

    public static string Attribute(string value) => WebUtility.HtmlEncode(value);

    /// <summary>The CSS class of a status: one of the statuses the worker writes, else "stopped"'s grey.</summary>
    public static string StatusClass(string status) =>
        status is "done" or "error" or "memory_limit" or "time_limit" or "stopped" ? status : "stopped";
}
