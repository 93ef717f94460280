using System.Globalization;
using System.Text;
using WorkerNode.Configuration;
using WorkerNode.Monitoring;

namespace WorkerNode.Reporting.WorkflowReport;

/// <summary>
/// One task's memory and CPU over time as a small inline SVG, written by hand rather than with a charting library
/// (OxyPlot's SVG for a 60-point chart is ~10.7 KB, and 1,000 tasks must fit in 5 MB; see README): the memory as a
/// path against the left scale, the tree's CPU % against the right, the enforced limit and the request as dashed
/// lines. At most <see cref="MostPoints"/> points per path (each the peak of its stretch), whole-pixel coordinates.
/// </summary>
public static class SvgTaskChart
{
    public const int MostPoints = 120;

    private const int Width = 600;
    private const int Height = 140;
    private const int Left = 58;
    private const int Right = 540;
    private const int Top = 12;
    private const int Bottom = 120;

    public static void Write(StringBuilder html, TaskSummary task)
    {
        ArgumentNullException.ThrowIfNull(html);
        ArgumentNullException.ThrowIfNull(task);
        var header = task.Header;
        var points = Reduce(task.Profile.Samples, header.MemoryMetric == "pss");
        html.Append(CultureInfo.InvariantCulture, $"<svg class=\"chart\" viewBox=\"0 0 {Width} {Height}\" role=\"img\" aria-label=\"memory and CPU of {Html.Attribute(header.Task)}\">");
        html.Append(CultureInfo.InvariantCulture, $"<rect class=\"frame\" x=\"{Left}\" y=\"{Top}\" width=\"{Right - Left}\" height=\"{Bottom - Top}\"/>");
        if (points.Count == 0)
        {
            html.Append(CultureInfo.InvariantCulture, $"<text x=\"{(Left + Right) / 2}\" y=\"{(Top + Bottom) / 2}\" text-anchor=\"middle\">no samples: the task ended before its first sample</text></svg>");
            return;
        }

        var span = Math.Max(header.WallSeconds, points[^1].Seconds);
        span = span > 0 ? span : 1;
        var memoryTop = Math.Max(1L << 20, Math.Max(task.PeakMemoryBytes, Math.Max(header.MemoryLimitBytes ?? 0, header.RequestedMemoryBytes ?? 0)));
        memoryTop = (long)(memoryTop * 1.08);
        var cpuTop = Math.Max(100, Math.Ceiling(points.Max(point => point.Cpu) / 100) * 100);

        Line(html, "req", header.RequestedMemoryBytes, memoryTop, "requested");
        Line(html, "limit", header.MemoryLimitBytes, memoryTop, "limit");
        Path(html, "mem", points, point => Y(point.Memory, memoryTop), span);
        Path(html, "cpu", points, point => Y(point.Cpu, cpuTop), span);

        html.Append(CultureInfo.InvariantCulture, $"<text x=\"{Left - 4}\" y=\"{Top + 4}\" text-anchor=\"end\" class=\"mem\">{Html.Text(Short(memoryTop))}</text>");
        html.Append(CultureInfo.InvariantCulture, $"<text x=\"{Left - 4}\" y=\"{Bottom}\" text-anchor=\"end\">0</text>");
        html.Append(CultureInfo.InvariantCulture, $"<text x=\"{Right + 4}\" y=\"{Top + 4}\" class=\"cpu\">{cpuTop:0}% cpu</text>");
        html.Append(CultureInfo.InvariantCulture, $"<text x=\"{Left}\" y=\"{Bottom + 14}\">0 s</text>");
        html.Append(CultureInfo.InvariantCulture, $"<text x=\"{Right}\" y=\"{Bottom + 14}\" text-anchor=\"end\">{Html.Text(DisplayFormat.Duration(TimeSpan.FromSeconds(Math.Round(span))))}</text>");
        html.Append("</svg>");

        void Line(StringBuilder target, string kind, long? bytes, long top, string label)
        {
            if (bytes is not { } value)
            {
                return;
            }

            var y = Y(value, top);
            target.Append(CultureInfo.InvariantCulture, $"<line class=\"{kind}\" x1=\"{Left}\" x2=\"{Right}\" y1=\"{y}\" y2=\"{y}\"/><text class=\"{kind}\" x=\"{Right - 2}\" y=\"{y - 3}\" text-anchor=\"end\">{label} {Html.Text(Short(value))}</text>");
        }
    }

    /// <summary>The samples, at most <see cref="MostPoints"/>: each point the peaks of a stretch of them, timed at its end.</summary>
    internal static List<Point> Reduce(IReadOnlyList<ProfileSample> samples, bool pss)
    {
        var points = new List<Point>(Math.Min(samples.Count, MostPoints));
        var perPoint = (samples.Count + MostPoints - 1) / MostPoints;
        for (var start = 0; start < samples.Count; start += perPoint)
        {
            var end = Math.Min(samples.Count, start + perPoint);
            double memory = 0;
            double cpu = 0;
            for (var i = start; i < end; i++)
            {
                memory = Math.Max(memory, pss && samples[i].PssBytes is { } value ? value : samples[i].RssBytes);
                cpu = Math.Max(cpu, samples[i].CpuPercent);
            }

            points.Add(new Point(samples[end - 1].ElapsedSeconds, memory, cpu));
        }

        return points;
    }

    private static void Path(StringBuilder html, string kind, List<Point> points, Func<Point, int> y, double span)
    {
        html.Append(CultureInfo.InvariantCulture, $"<path class=\"{kind}\" data-points=\"{points.Count}\" d=\"");
        for (var i = 0; i < points.Count; i++)
        {
            var x = Left + (int)Math.Round(Math.Clamp(points[i].Seconds / span, 0, 1) * (Right - Left));
            html.Append(i == 0 ? "M" : i == 1 ? "L" : " ").Append(CultureInfo.InvariantCulture, $"{x},{y(points[i])}");
        }

        // A single point draws nothing as a line: a short tick makes it visible without adding a point.
        html.Append(points.Count == 1 ? "h2\"/>" : "\"/>");
    }

    private static int Y(double value, double top) => Bottom - (int)Math.Round(Math.Clamp(value / top, 0, 1) * (Bottom - Top));

    /// <summary>"610 MiB", "4.0 GiB": a scale label.</summary>
    private static string Short(long bytes) => bytes >= 1L << 30
        ? string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)(1L << 30):0.0} GiB")
        : string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)(1L << 20):0} MiB");

    internal readonly record struct Point(double Seconds, double Memory, double Cpu);
}
