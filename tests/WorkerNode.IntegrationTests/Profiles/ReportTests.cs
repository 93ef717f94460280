using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using WorkerNode.IntegrationTests.Infrastructure;

namespace WorkerNode.IntegrationTests.Profiles;

/// <summary>
/// worker-node report over profiles of a small real workflow made by the real binary, looked at as a person would:
/// the page opened in headless Chromium, its console, its charts, and a screenshot kept in
/// artifacts/test-results/profile-report.png.
/// </summary>
public sealed partial class ReportTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("wn-report-").FullName;

    public static string ScreenshotPath => Path.Combine(RepositoryPaths.Root, "artifacts", "test-results", "profile-report.png");

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task TheHtmlReportOfARealWorkflowOpensInChromiumWithoutConsoleMessagesAndWithEveryChartDrawn()
    {
        var metrics = Directory.CreateDirectory(Path.Combine(_directory, "metrics")).FullName;
        await MakeWorkflowAsync(metrics);
        var page = Path.Combine(_directory, "report.html");

        var report = await WorkerRun.RunAsync(["report", "--html", page, metrics]);

        Assert.True(report.ExitCode == 0, report.ToString());
        Assert.Contains($"wrote {page} (4 tasks", report.Stdout, StringComparison.Ordinal);
        var opened = await HeadlessChromium.OpenAsync(page, "--dump-dom");
        Assert.Equal(0, opened.ExitCode);
        Assert.Empty(opened.ConsoleMessages);
        var dom = opened.Stdout;
        Assert.Contains("<h1>worker-node report: 4 tasks</h1>", dom, StringComparison.Ordinal);
        Assert.Equal(4, TaskRows().Matches(dom).Count);

        // Every task's chart: a memory path and a CPU path with one point per sample row of its profile.
        var rowsByTask = Directory.GetFiles(metrics).ToDictionary(
            file => JsonDocument.Parse(File.ReadLines(file).First()).RootElement.GetProperty("task").GetString()!,
            file => File.ReadLines(file).Count() - 1);
        var sections = Sections().Matches(dom);
        Assert.Equal(4, sections.Count);
        foreach (Match section in sections)
        {
            var task = System.Net.WebUtility.HtmlDecode(section.Groups["task"].Value);
            var expected = rowsByTask[task];
            Assert.True(expected > 0, $"{task} has no samples");
            foreach (var kind in (string[])["mem", "cpu"])
            {
                var path = Regex.Match(section.Value, $"<path class=\"{kind}\" data-points=\"(\\d+)\" d=\"([^\"]*)\"");
                Assert.True(path.Success, $"{task}: no {kind} path");
                Assert.Equal(expected, int.Parse(path.Groups[1].Value, CultureInfo.InvariantCulture));
                Assert.Equal(expected, Coordinates().Matches(path.Groups[2].Value).Count);
            }
        }

        // The memory hog's chart has its limit drawn in; the timeline has a bar per task.
        Assert.Contains("limit 64 MiB", dom, StringComparison.Ordinal);
        Assert.Equal(4, Regex.Matches(Regex.Match(dom, "<svg class=\"timeline\".*?</svg>", RegexOptions.Singleline).Value, "<rect ").Count);
        Assert.Contains("covers the 99th percentile", dom, StringComparison.Ordinal);

        Directory.CreateDirectory(Path.GetDirectoryName(ScreenshotPath)!);
        File.Delete(ScreenshotPath);
        var shot = await HeadlessChromium.OpenAsync(page, $"--screenshot={ScreenshotPath}", "--window-size=1280,1400", "--hide-scrollbars");
        Assert.Equal(0, shot.ExitCode);
        Assert.Empty(shot.ConsoleMessages);
        var png = File.ReadAllBytes(ScreenshotPath);
        Assert.True(png.Length > 10_000, $"screenshot of {png.Length} bytes");
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], png[..4]);
    }

    [Fact]
    public async Task TheConsoleCheckSeesWhatAPageThatReachesOutWouldLog()
    {
        // The same check on a page that tries to load an image over the network: the policy blocks it and says so.
        var page = Path.Combine(_directory, "reaching-out.html");
        File.WriteAllText(page, "<!DOCTYPE html><html><head><meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'\"></head><body><img src=\"http://127.0.0.1:9/x.png\"></body></html>");

        var opened = await HeadlessChromium.OpenAsync(page, "--dump-dom");

        Assert.NotEmpty(opened.ConsoleMessages);
    }

    [Fact]
    public async Task TheTerminalSummaryAndTheCsvCoverEveryTask()
    {
        var metrics = Directory.CreateDirectory(Path.Combine(_directory, "metrics")).FullName;
        await MakeWorkflowAsync(metrics);

        var summary = await WorkerRun.RunAsync(["report", metrics]);
        var csv = await WorkerRun.RunAsync(["report", "--csv", "-", metrics]);

        Assert.Equal(0, summary.ExitCode);
        foreach (var task in (string[])["fit_1", "fit_2", "failing", "hog"])
        {
            Assert.Contains(task, summary.Stdout, StringComparison.Ordinal);
        }

        Assert.Contains("fit_#: ", summary.Stdout, StringComparison.Ordinal);
        Assert.Equal(0, csv.ExitCode);
        // The test's reader of the worker's stdout splits lines itself; the file has RFC 4180's CRLF.
        var lines = csv.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => line.TrimEnd('\r')).ToArray();
        Assert.Equal("task,task_instance_id,distributor_id,node,status,t_s,rss_bytes,pss_bytes,cgroup_bytes,cpu_pct,processes,read_bytes,write_bytes", lines[0]);
        var samples = Directory.GetFiles(metrics).Sum(file => File.ReadLines(file).Count() - 1);
        Assert.Equal(samples, lines.Length - 1);
    }

    [Fact]
    public async Task FilesThatAreNotProfilesAreSkippedWithOneLineEach()
    {
        var notAProfile = Path.Combine(_directory, "other.jsonl");
        File.WriteAllText(notAProfile, "{\"hello\":1}\n");
        var newer = Path.Combine(_directory, "newer.jsonl");
        File.WriteAllText(newer, "{\"format\":\"worker-node-profile\",\"version\":9}\n");

        var result = await WorkerRun.RunAsync(["report", _directory]);
        var missing = await WorkerRun.RunAsync(["report", Path.Combine(_directory, "nowhere")]);

        Assert.Equal(1, result.ExitCode);
        Assert.Equal(
            [
                $"worker-node report: skipped {newer}: profile format version 9; this worker-node reads version 1 (use a newer worker-node)",
                $"worker-node report: skipped {notAProfile}: not a worker-node profile (its first line has no \"format\": \"worker-node-profile\")",
                $"worker-node report: no readable profile in {_directory} (profiles are *.jsonl files written by 'run --metrics' or worker_node.metrics_dir)",
            ],
            result.Stderr.TrimEnd('\n').Split('\n'));
        Assert.Equal(1, missing.ExitCode);
        Assert.Equal($"worker-node report: {Path.Combine(_directory, "nowhere")}: no such file or directory\n", missing.Stderr);
    }

    /// <summary>Four tasks through the real binary: two runs of one template, a failure, and a memory hog stopped at its limit.</summary>
    private static async Task MakeWorkflowAsync(string metrics)
    {
        async Task RunAsync(string name, string[] flags, string script)
        {
            var result = await WorkerRun.RunAsync(["run", "--metrics", Path.Combine(metrics, name + ".jsonl"), "--name", name, "--sample-interval", "0.2", .. flags, "--", "sh", "-c", script]);
            Assert.True(File.Exists(Path.Combine(metrics, name + ".jsonl")), result.ToString());
        }

        await RunAsync("fit_1", ["--memory-limit", "512M"], "sleep 1");
        await RunAsync("fit_2", ["--memory-limit", "512M"], "sleep 1.4");
        await RunAsync("failing", [], "sleep 0.5; exit 2");
        await RunAsync("hog", ["--memory-limit", "64M"], "tail /dev/zero");
    }

    [GeneratedRegex("<tr><td><a href=\"#t\\d+\">")]
    private static partial Regex TaskRows();

    [GeneratedRegex("<section class=\"task\" id=\"t\\d+\"><h3>\\d+\\. (?<task>[^<]*) <span.*?</section>", RegexOptions.Singleline)]
    private static partial Regex Sections();

    [GeneratedRegex("-?\\d+,-?\\d+")]
    private static partial Regex Coordinates();
}
