using System.Globalization;
using WorkerNode.IntegrationTests.Faults;
using WorkerNode.IntegrationTests.Infrastructure;
using WorkerNode.IntegrationTests.Server;

namespace WorkerNode.IntegrationTests.Client;

/// <summary>
/// Issue 14: a server (or proxy) answering 200 with a 200 MiB body drove the worker to 1.8 GB. The
/// answer is read up to a bound, treated as malformed and retried; the worker's memory stays small.
/// </summary>
public sealed class OversizedAnswerTests
{
    [Fact]
    public async Task A200MiBAnswerIsAMalformedAnswerRetriedAndTheWorkersMemoryStaysSmall()
    {
        await using var scenario = await ServerScenario.StartAsync();
        var id = await scenario.CreateAsync("echo done");
        await scenario.Harness.ArmFaultAsync(new { route = "log_running", mode = "oversized", count = 2 });

        await using var run = WorkerRun.Start(scenario.Job(id), ServerScenario.SlurmJob);
        var peakKib = 0L;
        using var stop = new CancellationTokenSource();
        var watching = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                peakKib = Math.Max(peakKib, PeakRssKib(run.Pid));
                try
                {
                    await Task.Delay(20, stop.Token);
                }
                catch (OperationCanceledException)
                {
                }
            }
        });
        var result = await run.WaitAsync(TimeSpan.FromSeconds(120));
        await stop.CancelAsync();
        await watching;

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("D", await scenario.Harness.StatusOfAsync(id));
        Assert.Equal(2, Drill.Lines(result, "WARN", "the answer is larger than 256 KiB").Length);
        Assert.True(peakKib is > 0 and < 150 * 1024, $"peak RSS {peakKib} KiB");
    }

    /// <summary>VmHWM of a live process, 0 once it is gone.</summary>
    private static long PeakRssKib(int pid)
    {
        try
        {
            var line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(text => text.StartsWith("VmHWM:", StringComparison.Ordinal));
            return line is null ? 0 : long.Parse(line["VmHWM:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return 0;
        }
    }
}
