using System.Text.RegularExpressions;
using WorkerNode.Reporting.Profiles;
using WorkerNode.Reporting.WorkflowReport;

namespace WorkerNode.Tests.Profiles;

/// <summary>
/// The report's CPU efficiency (CPU ÷ (wall × cores)) is only shown where the CPU clock can tell: the kernel counts
/// CPU time in whole ticks of 10 ms, so a task shorter than a tick may be charged a whole one (the 450 % once shown
/// for a 2.2 ms task).
/// </summary>
public sealed class CpuEfficiencyTests
{
    [Theory]
    [InlineData(0.0022, 0.01, 0.0)]
    [InlineData(0.009, 0.0, 0.01)]
    [InlineData(0.0, 0.0, 0.0)]
    public void ATaskShorterThanAClockTickHasNoEfficiency(double wall, double user, double system)
    {
        var task = Summary(wall, user, system);

        Assert.Null(task.CpuEfficiency);
        Assert.Equal("-", task.CpuEfficiencyText);
        Assert.Equal("-", EfficiencyColumn(task));
    }

    [Theory]
    [InlineData(0.01, 0.01, 0.0, null, "100%")]
    [InlineData(60.0, 25.0, 5.0, null, "50%")]
    [InlineData(10.0, 30.0, 0.0, 4, "75%")]
    [InlineData(2.0, 7.5, 0.5, 2, "200%")]
    public void ATaskOfAtLeastATickHasCpuOverWallTimesCores(double wall, double user, double system, int? cores, string expected)
    {
        var task = Summary(wall, user, system, cores);

        Assert.Equal((user + system) / (wall * (cores ?? 1)), task.CpuEfficiency);
        Assert.Equal(expected, task.CpuEfficiencyText);
        Assert.Equal(expected, EfficiencyColumn(task));
    }

    [Theory]
    [InlineData(0.0022, 0.01, "-")]
    [InlineData(60.0, 30.0, "50%")]
    public void TheHtmlTableShowsTheSameFigure(double wall, double user, string expected)
    {
        var html = HtmlReport.Render([Summary(wall, user, 0)], [], DateTimeOffset.UnixEpoch);

        // The task table's row: #, task, status, exit, node, started, wall, CPU efficiency, ...
        var row = Regex.Match(html, "<tr><td><a href=\"#t1\">.*?</tr>").Value;
        var cells = Regex.Matches(row, "<td[^>]*>(.*?)</td>").Select(match => match.Groups[1].Value).ToList();
        Assert.Equal(expected, cells[7]);
    }

    private static TaskSummary Summary(double wall, double user, double system, int? cores = null) =>
        TaskSummary.Of(new Profile("t.jsonl", ProfileFormatTests.Header("short_1", rows: 0) with
        {
            WallSeconds = wall,
            CpuUserSeconds = user,
            CpuSystemSeconds = system,
            RequestedCores = cores,
            Samples = 0,
        }, []));

    /// <summary>The "cpu eff" column of the task's line in the terminal table.</summary>
    private static string EfficiencyColumn(TaskSummary task)
    {
        var output = new StringWriter();
        TerminalSummary.Write(output, [task], []);
        var lines = output.ToString().Split('\n');
        var header = lines[0];
        var end = header.IndexOf("cpu eff", StringComparison.Ordinal) + "cpu eff".Length;
        return lines[1][(end - 7)..end].Trim();
    }
}
