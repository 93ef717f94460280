using System.Globalization;
using WorkerNode.Configuration;

namespace WorkerNode.Reporting.WorkflowReport;

/// <summary>The report as plain text for a terminal: one line per task, then one hint per template.</summary>
public static class TerminalSummary
{
    public static void Write(TextWriter output, IReadOnlyList<TaskSummary> tasks, IReadOnlyList<SizingHint> hints)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(tasks);
        ArgumentNullException.ThrowIfNull(hints);
        output.WriteLine(Line("task", "status", "exit", "wall", "cpu eff", "peak mem", "requested", "limit", "samples"));
        foreach (var task in tasks)
        {
            var header = task.Header;
            output.WriteLine(Line(
                Shorten(header.Task, 32),
                header.Status,
                header.ExitCode?.ToString(CultureInfo.InvariantCulture) ?? header.Signal ?? "-",
                DisplayFormat.Duration(TimeSpan.FromSeconds(Math.Round(header.WallSeconds))),
                task.CpuEfficiencyText,
                DisplayFormat.Size(task.PeakMemoryBytes),
                header.RequestedMemoryBytes is { } requested ? DisplayFormat.Size(requested) : "-",
                header.MemoryLimitBytes is { } limit ? DisplayFormat.Size(limit) : "-",
                header.Samples.ToString(CultureInfo.InvariantCulture)));
        }

        output.WriteLine();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{tasks.Count} {(tasks.Count == 1 ? "task" : "tasks")}; right-sizing per template:"));
        foreach (var hint in hints)
        {
            output.WriteLine($"  {hint.Template}: {RightSizing.MemorySentence(hint)}; {RightSizing.TimeSentence(hint)}");
        }
    }

    private static string Line(string task, string status, string exit, string wall, string efficiency, string peak, string requested, string limit, string samples) =>
        $"{task,-32} {status,-12} {exit,5} {wall,12} {efficiency,7} {peak,11} {requested,11} {limit,11} {samples,7}";

    private static string Shorten(string text, int width) => text.Length <= width ? text : string.Concat(text.AsSpan(0, width - 1), "…");
}
