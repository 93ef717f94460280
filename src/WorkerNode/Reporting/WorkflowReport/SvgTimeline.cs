using System.Globalization;
using System.Text;
using WorkerNode.Configuration;

namespace WorkerNode.Reporting.WorkflowReport;

/// <summary>All tasks on one time axis, one bar per task from its start to its end, coloured by status (Gantt-like).</summary>
public static class SvgTimeline
{
    private const int Width = 1000;
    private const int Left = 4;
    private const int Right = 996;
    /// <summary>Up to this many tasks, each bar gets its name beside it (and a taller row); beyond, the names are in the bars' titles.</summary>
    private const int MostLabelled = 200;
    private const int Top = 18;

    /// <param name="html">Where to write.</param>
    /// <param name="tasks">The tasks, in the order of their rows (by start).</param>
    public static void Write(StringBuilder html, IReadOnlyList<TaskSummary> tasks)
    {
        ArgumentNullException.ThrowIfNull(html);
        ArgumentNullException.ThrowIfNull(tasks);
        if (tasks.Count == 0)
        {
            return;
        }

        var origin = tasks.Min(task => task.Header.StartedAt);
        var end = tasks.Max(task => task.Header.EndedAt);
        var span = Math.Max((end - origin).TotalSeconds, 0.001);
        var labelled = tasks.Count <= MostLabelled;
        var row = labelled ? 14 : 8;
        var bar = labelled ? 10 : 6;
        var height = Top + (tasks.Count * row) + 4;
        html.Append(CultureInfo.InvariantCulture, $"<svg class=\"timeline\" viewBox=\"0 0 {Width} {height}\" role=\"img\" aria-label=\"timeline of {tasks.Count} tasks\">");
        html.Append(CultureInfo.InvariantCulture, $"<text x=\"{Left}\" y=\"12\">{Html.Text(origin.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture))} UTC</text>");
        html.Append(CultureInfo.InvariantCulture, $"<text x=\"{Right}\" y=\"12\" text-anchor=\"end\">+{Html.Text(DisplayFormat.Duration(TimeSpan.FromSeconds(Math.Round(span))))}</text>");
        for (var i = 0; i < tasks.Count; i++)
        {
            var header = tasks[i].Header;
            var x = Left + ((header.StartedAt - origin).TotalSeconds / span * (Right - Left));
            var w = Math.Max(1, header.WallSeconds / span * (Right - Left));
            var y = Top + (i * row);
            html.Append(CultureInfo.InvariantCulture, $"<rect class=\"{Html.StatusClass(header.Status)}\" x=\"{x:0.#}\" y=\"{y}\" width=\"{w:0.#}\" height=\"{bar}\"><title>{Html.Text(header.Task)}: {Html.Text(header.Status)}, {header.WallSeconds:0.#} s</title></rect>");
            if (labelled)
            {
                // Beside the bar, or before it when the bar ends near the right edge.
                var after = x + w + 4 < Right - 150;
                html.Append(CultureInfo.InvariantCulture, $"<text x=\"{(after ? x + w + 4 : x - 4):0.#}\" y=\"{y + bar - 1}\"{(after ? string.Empty : " text-anchor=\"end\"")}>{Html.Text(header.Task)}</text>");
            }
        }

        html.Append("</svg>");
    }
}
