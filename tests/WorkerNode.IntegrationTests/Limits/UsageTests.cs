using System.Globalization;
using System.Text.Json;
using WorkerNode.IntegrationTests.Infrastructure;
using WorkerNode.IntegrationTests.Server;

namespace WorkerNode.IntegrationTests.Limits;

/// <summary>
/// Usage of known workloads against /usr/bin/time -v. The workload runs under /usr/bin/time inside the worker,
/// so both measure the very same execution; the worker's figures also hold /usr/bin/time itself (a few
/// milliseconds, a couple of MiB), well inside the 10% allowed.
/// </summary>
public sealed class UsageTests : IDisposable
{
    private const string GnuTime = "/usr/bin/time";
    private readonly string _directory = Directory.CreateTempSubdirectory("wn-usage-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task WritingThreeHundredMebibytesAgreesWithTime()
    {
        var (report, time) = await MeasureAsync($"dd if=/dev/zero of={_directory}/written bs=1M count=300 2>/dev/null");

        var timeBytes = time["File system outputs"] * 512;
        Assert.InRange(timeBytes, 290e6, 330e6);
        AssertWithinTenPercent(timeBytes, report.GetProperty("io_write_bytes").GetInt64());
    }

    [Fact]
    public async Task CpuOfShortLivedChildrenAgreesWithTime()
    {
        // Twenty children of about 0.1 s each: most start and end between two samples.
        var (report, time) = await MeasureAsync("i=0; while [ $i -lt 20 ]; do sh -c 'j=0; while [ $j -lt 50000 ]; do j=$((j+1)); done'; i=$((i+1)); done");

        var timeCpu = time["User time (seconds)"] + time["System time (seconds)"];
        Assert.True(timeCpu > 0.5, $"the workload used only {timeCpu} s of CPU");
        AssertWithinTenPercent(timeCpu, report.GetProperty("cpu_user_s").GetDouble() + report.GetProperty("cpu_system_s").GetDouble());
    }

    [Fact]
    public async Task AThreeHundredMebibyteAllocationAgreesWithTime()
    {
        var (report, time) = await MeasureAsync("head -c 300M /dev/zero | tail > /dev/null");

        var timeBytes = time["Maximum resident set size (kbytes)"] * 1024;
        Assert.InRange(timeBytes, 300e6, 400e6);
        AssertWithinTenPercent(timeBytes, report.GetProperty("maxrss_bytes").GetInt64());
    }

    [Fact]
    public async Task PssIsMeasuredWhenItIsTheMetric()
    {
        var report = Path.Combine(_directory, "report.json");

        var result = await WorkerRun.RunAsync(["run", "--memory-metric", "pss", "--sample-interval", "100ms", "--report", report, "--", "sh", "-c", "(head -c 100M /dev/zero; sleep 1) | tail"]);

        Assert.True(result.ExitCode == 0, result.ToString());
        var root = JsonFile.Read(report);
        Assert.InRange(root.GetProperty("maxpss_bytes").GetInt64(), 90L << 20, 200L << 20);
        Assert.True(root.GetProperty("max_processes").GetInt32() >= 2);
    }

    [Fact]
    public async Task ServerModeSendsUsageInHeartbeatsAndTheFinalReport()
    {
        await using var scenario = await ServerScenario.StartAsync();
        var id = await scenario.CreateAsync($"dd if=/dev/zero of={_directory}/out bs=1M count=20 2>/dev/null; sleep 2.5");

        var result = await scenario.RunJobAsync(id);

        Assert.True(result.ExitCode == 0, result.ToString());
        var heartbeats = await scenario.BodiesAsync(id, "log_report_by");
        Assert.NotEmpty(heartbeats);
        Assert.All(heartbeats, body => Assert.StartsWith("wallclock ", body.GetProperty("usage_str").GetString(), StringComparison.Ordinal));
        var wallclocks = heartbeats.Select(body => Number(body, "wallclock")).ToList();
        Assert.Equal(wallclocks.Order(), wallclocks);

        var done = Assert.Single(await scenario.BodiesAsync(id, "log_done"));
        Assert.InRange(Number(done, "wallclock"), 2.4, 10);
        Assert.InRange(Number(done, "maxrss"), 1, 1L << 30);
        Assert.InRange(Number(done, "cpu"), 0, 10);
        Assert.InRange(Number(done, "io"), 20 << 20, 40 << 20);
        Assert.False(done.TryGetProperty("maxpss", out _));
        Assert.Contains(" cpu_user=", Assert.Single(result.Stdout.Split('\n'), line => line.Contains("INFO command ended", StringComparison.Ordinal)), StringComparison.Ordinal);
    }

    /// <summary>Runs <paramref name="workload"/> under /usr/bin/time -v inside the worker; gives the worker's report and time's figures.</summary>
    private async Task<(JsonElement Report, Dictionary<string, double> Time)> MeasureAsync(string workload)
    {
        var report = Path.Combine(_directory, "report.json");
        var timeOutput = Path.Combine(_directory, "time.txt");

        var result = await WorkerRun.RunAsync(["run", "--report", report, "--", GnuTime, "-v", "-o", timeOutput, "sh", "-c", workload], timeout: TimeSpan.FromMinutes(2));

        Assert.True(result.ExitCode == 0, result.ToString());
        return (JsonFile.Read(report), ParseTime(File.ReadAllLines(timeOutput)));
    }

    /// <summary>The numeric lines of GNU time's -v output, e.g. "\tUser time (seconds): 1.56".</summary>
    private static Dictionary<string, double> ParseTime(string[] lines)
    {
        var figures = new Dictionary<string, double>();
        foreach (var line in lines)
        {
            var colon = line.LastIndexOf(": ", StringComparison.Ordinal);
            if (colon > 0 && double.TryParse(line[(colon + 2)..], NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
            {
                figures[line[..colon].Trim()] = value;
            }
        }

        return figures;
    }

    private static void AssertWithinTenPercent(double expected, double actual) =>
        Assert.True(Math.Abs(actual - expected) <= 0.1 * expected, $"worker-node measured {actual}, /usr/bin/time {expected}");

    private static double Number(JsonElement body, string field) =>
        double.Parse(body.GetProperty(field).GetString()!, CultureInfo.InvariantCulture);
}
