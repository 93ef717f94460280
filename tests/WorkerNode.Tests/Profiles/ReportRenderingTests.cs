using System.Text;
using System.Text.RegularExpressions;
using WorkerNode.Monitoring;
using WorkerNode.Reporting.Profiles;
using WorkerNode.Reporting.WorkflowReport;

namespace WorkerNode.Tests.Profiles;

public sealed class ReportRenderingTests
{
    private const long MiB = 1L << 20;

    [Fact]
    public void TheHintForFortyRunsIsTheIssuesExample()
    {
        // 40 runs of one template, peaks up to 610 MiB, 4 GiB requested.
        var tasks = Enumerable.Range(1, 40).Select(i => Task($"fit_{i}", (570 + i) * MiB)).ToList();

        var hint = Assert.Single(RightSizing.Hints(tasks));

        Assert.Equal("fit_#", hint.Template);
        Assert.Equal(610 * MiB, hint.PeakMemoryBytes);
        Assert.Equal(800 * MiB, hint.SuggestedMemoryBytes);
        Assert.Equal("requested 4.00 GiB, peak 610.00 MiB over 40 runs → 800 MiB covers the 99th percentile (610.00 MiB) with 25 % headroom", RightSizing.MemorySentence(hint));
    }

    [Fact]
    public void RunsStoppedAtALimitMakeTheHintALowerBound()
    {
        var stopped = Task("hog_1", 70 * MiB);
        var tasks = new[] { stopped with { Profile = stopped.Profile with { Header = stopped.Header with { Status = "memory_limit" } } }, Task("hog_2", 60 * MiB) };

        var hint = Assert.Single(RightSizing.Hints(tasks));

        Assert.Equal(1, hint.StoppedAtLimit);
        Assert.EndsWith("with 25 % headroom; 1 run was stopped at a limit, so its peak is only a lower bound", RightSizing.MemorySentence(hint), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new[] { 1, 2, 3, 4 }, 0.99, 4)]
    [InlineData(new[] { 1, 2, 3, 4 }, 0.5, 2)]
    [InlineData(new[] { 7 }, 0.99, 7)]
    public void ThePercentileIsTheNearestRank(int[] sorted, double fraction, int expected) =>
        Assert.Equal(expected, RightSizing.Percentile(sorted, fraction));

    [Theory]
    [InlineData(1L, 100 * MiB)]
    [InlineData(762 * MiB, 800 * MiB)]
    [InlineData(800 * MiB, 800 * MiB)]
    [InlineData(10L * 1024 * MiB + 1, 11L * 1024 * MiB)]
    public void SuggestionsAreRoundedUpToARequestAPersonWouldType(long bytes, long expected) =>
        Assert.Equal(expected, RightSizing.RoundUpMemory(bytes));

    [Fact]
    public void AChartHasOnePointPerSampleUpToItsMostAndTheLimitDrawn()
    {
        var few = Task("a", 100 * MiB, samples: 60);
        var many = Task("b", 100 * MiB, samples: 5000);
        var html = new StringBuilder();

        SvgTaskChart.Write(html, few);
        SvgTaskChart.Write(html, many);

        var paths = Regex.Matches(html.ToString(), "<path class=\"mem\" data-points=\"(\\d+)\" d=\"([^\"]*)\"");
        Assert.Equal(["60", "120"], paths.Select(path => path.Groups[1].Value));
        Assert.Equal([60, 120], paths.Select(path => Regex.Matches(path.Groups[2].Value, "\\d+,\\d+").Count));
        Assert.Contains("<line class=\"limit\"", html.ToString(), StringComparison.Ordinal);
        Assert.Contains(">limit 3.0 GiB</text>", html.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void ATaskWithoutSamplesSaysSo()
    {
        var html = new StringBuilder();

        SvgTaskChart.Write(html, Task("a", 1, samples: 0));

        Assert.Contains("no samples: the task ended before its first sample", html.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("<path", html.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void NamesFromProfilesAreEscapedEverywhere()
    {
        var hostile = Task("<script>alert(1)</script>", MiB) with { };
        var profile = hostile.Profile with { Header = hostile.Header with { Status = "\"><img src=x>", Node = "<b>n</b>" } };

        var page = HtmlReport.Render([TaskSummary.Of(profile)], RightSizing.Hints([TaskSummary.Of(profile)]), DateTimeOffset.UnixEpoch);

        Assert.DoesNotContain("<script", page, StringComparison.Ordinal);
        Assert.DoesNotContain("<img", page, StringComparison.Ordinal);
        Assert.DoesNotContain("<b>n", page, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", page, StringComparison.Ordinal);
    }

    [Fact]
    public void AThousandTaskPageStaysUnderFiveMegabytes()
    {
        var tasks = Enumerable.Range(1, 1000).Select(i => Task($"task_{i}", (100 + i) * MiB, samples: 60)).ToList();

        var page = HtmlReport.Render(tasks, RightSizing.Hints(tasks), DateTimeOffset.UnixEpoch);

        Assert.True(Encoding.UTF8.GetByteCount(page) < 5_000_000, $"{Encoding.UTF8.GetByteCount(page)} bytes");
    }

    [Theory]
    [InlineData("plain", "plain")]
    [InlineData("a,b", "\"a,b\"")]
    [InlineData("say \"hi\"", "\"say \"\"hi\"\"\"")]
    [InlineData("=HYPERLINK(1)", "'=HYPERLINK(1)")]
    [InlineData("-x,y", "\"'-x,y\"")]
    public void CsvFieldsAreQuotedAndNeverFormulas(string value, string expected) =>
        Assert.Equal(expected, CsvExport.Field(value));

    private static TaskSummary Task(string name, long peak, int samples = 10)
    {
        var rows = Enumerable.Range(1, samples)
            .Select(i => new ProfileSample(i, i == samples / 2 ? peak : peak / 2, null, null, 50, 1, 0, 0))
            .ToList();
        var header = ProfileFormatTests.Header(name, samples) with { MaxRssBytes = peak };
        return TaskSummary.Of(new Profile(name + ".jsonl", header, rows));
    }
}
