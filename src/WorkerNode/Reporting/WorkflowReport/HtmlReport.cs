using System.Globalization;
using System.Text;
using WorkerNode.Configuration;

namespace WorkerNode.Reporting.WorkflowReport;

/// <summary>
/// The report as one self-contained HTML page: inline CSS and SVG, no script, and a Content-Security-Policy that
/// forbids every fetch, so it opens the same offline, from a mail attachment or a shared filesystem.
/// </summary>
public static class HtmlReport
{
    /// <summary>Per-task charts beyond this many are left out (the table still lists every task): a page must stay openable.</summary>
    public const int MostCharts = 2000;

    private const string Style = """
        body{font:14px/1.4 system-ui,sans-serif;margin:24px;color:#222}h1{font-size:22px}h2{font-size:18px;margin-top:28px}
        table{border-collapse:collapse}th,td{padding:2px 8px;text-align:right;border-bottom:1px solid #ddd}th{background:#f3f3f3}
        td.l,th.l{text-align:left}.done{color:#1a7f37;fill:#2da44e}.error{color:#cf222e;fill:#cf222e}
        .memory_limit,.time_limit{color:#bc4c00;fill:#fb8500}.stopped{color:#57606a;fill:#8c959f}
        svg{display:block;font:11px system-ui,sans-serif}svg.chart{width:570px;height:133px}svg.timeline{width:1000px;height:auto}
        .frame{fill:#fafafa;stroke:#ccc}path{fill:none;stroke-width:1.5}path.mem{stroke:#0969da}path.cpu{stroke:#e36209;stroke-width:1}
        text.mem{fill:#0969da}text.cpu{fill:#e36209}line.limit{stroke:#cf222e;stroke-dasharray:6 3}text.limit{fill:#cf222e}
        line.req{stroke:#6e7781;stroke-dasharray:2 3}text.req{fill:#6e7781}section.task{display:inline-block;margin:0 12px 12px 0;vertical-align:top}
        section.task h3{font-size:13px;margin:4px 0}.key span{margin-right:16px}
        """;

    public static string Render(IReadOnlyList<TaskSummary> tasks, IReadOnlyList<SizingHint> hints, DateTimeOffset generatedAt)
    {
        ArgumentNullException.ThrowIfNull(tasks);
        ArgumentNullException.ThrowIfNull(hints);
        var html = new StringBuilder(4096 + (tasks.Count * 3000));
        html.Append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
            .Append("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">")
            .Append(CultureInfo.InvariantCulture, $"<title>worker-node report: {tasks.Count} {(tasks.Count == 1 ? "task" : "tasks")}</title><style>{Style}</style></head><body>\n");
        html.Append(CultureInfo.InvariantCulture, $"<h1>worker-node report: {tasks.Count} {(tasks.Count == 1 ? "task" : "tasks")}</h1>");
        html.Append(CultureInfo.InvariantCulture, $"<p>Generated {Html.Text(generatedAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture))} UTC from {tasks.Count} profiles. {StatusCounts(tasks)}</p>\n");

        html.Append("<h2>Tasks</h2><table id=\"tasks\"><tr><th>#</th><th class=\"l\">task</th><th class=\"l\">status</th><th>exit</th><th class=\"l\">node</th><th>started (UTC)</th><th>wall</th><th>CPU efficiency</th><th>peak memory</th><th>of requested</th><th>of limit</th><th>samples</th></tr>\n");
        for (var i = 0; i < tasks.Count; i++)
        {
            TableRow(html, i, tasks[i]);
        }

        html.Append("</table><p>CPU efficiency: CPU time ÷ (wall time × cores requested, 1 when the scheduler does not say); - for a task shorter than a tick of the CPU clock (10 ms), which counts CPU time in whole ticks.</p>\n");

        html.Append("<h2>Timeline</h2><p class=\"key\"><span class=\"done\">■ done</span><span class=\"error\">■ error</span><span class=\"memory_limit\">■ over a limit</span><span class=\"stopped\">■ stopped</span></p>");
        SvgTimeline.Write(html, tasks);

        html.Append("\n<h2>Right-sizing</h2><table id=\"hints\"><tr><th class=\"l\">template</th><th>runs</th><th class=\"l\">memory</th><th class=\"l\">time</th></tr>\n");
        foreach (var hint in hints)
        {
            html.Append(CultureInfo.InvariantCulture, $"<tr><td class=\"l\">{Html.Text(hint.Template)}</td><td>{hint.Runs}</td><td class=\"l\">{Html.Text(RightSizing.MemorySentence(hint))}</td><td class=\"l\">{Html.Text(RightSizing.TimeSentence(hint))}</td></tr>\n");
        }

        html.Append("</table>\n<h2>Memory and CPU per task</h2><p class=\"key\"><span class=\"mem\">— memory (left scale)</span><span class=\"cpu\">— CPU % of the process tree (right scale)</span><span class=\"limit\">- - enforced limit</span><span class=\"req\">··· requested</span></p>\n");
        var charts = Math.Min(tasks.Count, MostCharts);
        for (var i = 0; i < charts; i++)
        {
            html.Append(CultureInfo.InvariantCulture, $"<section class=\"task\" id=\"t{i + 1}\"><h3>{i + 1}. {Html.Text(tasks[i].Header.Task)} <span class=\"{Html.StatusClass(tasks[i].Header.Status)}\">{Html.Text(tasks[i].Header.Status)}</span></h3>");
            SvgTaskChart.Write(html, tasks[i]);
            html.Append("</section>\n");
        }

        if (charts < tasks.Count)
        {
            html.Append(CultureInfo.InvariantCulture, $"<p>Charts of the first {charts} tasks only; the other {tasks.Count - charts} are in the table above (and in <code>worker-node report --csv</code>).</p>");
        }

        html.Append("</body></html>\n");
        return html.ToString();
    }

    private static void TableRow(StringBuilder html, int index, TaskSummary task)
    {
        var header = task.Header;
        html.Append(CultureInfo.InvariantCulture, $"<tr><td><a href=\"#t{index + 1}\">{index + 1}</a></td><td class=\"l\">{Html.Text(header.Task)}</td><td class=\"l {Html.StatusClass(header.Status)}\">{Html.Text(header.Status)}</td>");
        html.Append(CultureInfo.InvariantCulture, $"<td>{Html.Text(header.ExitCode?.ToString(CultureInfo.InvariantCulture) ?? header.Signal ?? "-")}</td><td class=\"l\">{Html.Text(header.Node)}</td>");
        html.Append(CultureInfo.InvariantCulture, $"<td>{header.StartedAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)}</td><td>{Html.Text(DisplayFormat.Duration(TimeSpan.FromSeconds(Math.Round(header.WallSeconds, 1))))}</td>");
        html.Append(CultureInfo.InvariantCulture, $"<td>{task.CpuEfficiencyText}</td><td>{Html.Text(DisplayFormat.Size(task.PeakMemoryBytes))}</td>");
        html.Append(CultureInfo.InvariantCulture, $"<td>{Share(task.PeakMemoryBytes, header.RequestedMemoryBytes)}</td><td>{Share(task.PeakMemoryBytes, header.MemoryLimitBytes)}</td><td>{header.Samples}</td></tr>\n");
    }

    private static string Share(long peak, long? of) =>
        of is > 0 and var total ? string.Create(CultureInfo.InvariantCulture, $"{peak * 100.0 / total:0}%") : "-";

    private static string StatusCounts(IReadOnlyList<TaskSummary> tasks) => string.Join(", ", tasks
        .GroupBy(task => task.Header.Status, StringComparer.Ordinal)
        .OrderBy(group => group.Key, StringComparer.Ordinal)
        .Select(group => string.Create(CultureInfo.InvariantCulture, $"{group.Count()} {Html.Text(group.Key)}"))) + ".";
}
