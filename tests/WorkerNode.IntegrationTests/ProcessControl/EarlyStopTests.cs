using System.Globalization;
using WorkerNode.IntegrationTests.Infrastructure;

namespace WorkerNode.IntegrationTests.ProcessControl;

/// <summary>
/// A stop the worker sends as the command starts (here a time limit already past: the Slurm allocation ends within
/// the margin) reaches the command even when it comes before the exec shim has forked it. The shim used to ignore
/// every signal from its start, so such a SIGTERM reached no one and the command ran on to the SIGKILL after the
/// grace: exit 137, not 143, in about one start of twelve on a busy machine. It now holds them and passes them on.
/// </summary>
public sealed class EarlyStopTests
{
    /// <summary>Enough starts that a loss in one of twelve shows (all pass by chance with a probability under 1 %).</summary>
    private const int Starts = 60;

    [Fact]
    public async Task AStopAtTheVeryStartReachesTheCommandEveryTime()
    {
        var end = DateTimeOffset.UtcNow.AddSeconds(30).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var slurm = new Dictionary<string, string?> { ["SLURM_JOB_ID"] = "77", ["SLURM_JOB_END_TIME"] = end };

        for (var start = 1; start <= Starts; start++)
        {
            // A 60 s margin on an allocation that ends in 30 s: the time limit has passed when the command starts.
            var result = await WorkerRun.RunAsync(
                ["run", "--limits-from-scheduler", "--time-margin", "60s", "--command-interrupt-timeout", "5", "--", "sleep", "60"],
                slurm,
                timeout: TimeSpan.FromSeconds(60));

            Assert.True(result.ExitCode == 143, $"start {start} of {Starts}: {result}");
            Assert.Contains("time limit 00:00:00 reached", result.Stderr, StringComparison.Ordinal);
            Assert.DoesNotContain("SIGKILL", result.Stderr, StringComparison.Ordinal);
        }
    }
}
