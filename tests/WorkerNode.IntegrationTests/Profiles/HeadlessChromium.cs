using System.Diagnostics;

namespace WorkerNode.IntegrationTests.Profiles;

/// <summary>
/// Debian's chromium, headless, with a fresh profile directory per run and everything that would reach the network
/// switched off. Console messages (errors, refused loads, CSP violations) are read from its own log on stderr
/// (--enable-logging=stderr), where each is a line holding ":CONSOLE".
/// </summary>
public static class HeadlessChromium
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(120);

    /// <summary>Opens <paramref name="file"/> and runs chromium with <paramref name="extra"/> (--dump-dom, --screenshot=...).</summary>
    public static async Task<ChromiumResult> OpenAsync(string file, params string[] extra)
    {
        var chromium = Locate();
        var profile = Directory.CreateTempSubdirectory("wn-chromium-").FullName;
        try
        {
            var start = new ProcessStartInfo(chromium)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (var argument in (string[])[
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                $"--user-data-dir={profile}", "--enable-logging=stderr", "--v=0", .. extra, new Uri(Path.GetFullPath(file)).AbsoluteUri])
            {
                start.ArgumentList.Add(argument);
            }

            var clock = Stopwatch.StartNew();
            using var process = Process.Start(start) ?? throw new InvalidOperationException("cannot start chromium");
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            using var cancel = new CancellationTokenSource(Timeout);
            try
            {
                await process.WaitForExitAsync(cancel.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException($"chromium did not finish with {file} within {Timeout.TotalSeconds} s");
            }

            var log = await stderr;
            var console = log.Split('\n').Where(line => line.Contains(":CONSOLE", StringComparison.Ordinal)).ToList();
            return new ChromiumResult(process.ExitCode, await stdout, console, log, clock.Elapsed);
        }
        finally
        {
            Directory.Delete(profile, recursive: true);
        }
    }

    private static string Locate()
    {
        foreach (var directory in (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin").Split(':'))
        {
            var candidate = Path.Combine(directory, "chromium");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException("chromium is not installed: run scripts/ensure-tools test (Debian package chromium)");
    }
}
