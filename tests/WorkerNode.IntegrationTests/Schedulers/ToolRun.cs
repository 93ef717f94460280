using System.Diagnostics;

namespace WorkerNode.IntegrationTests.Schedulers;

/// <summary>One run of a scheduler's client (sbatch, sacct, qsub, qacct, ...), bounded in time.</summary>
public sealed record ToolRun(int ExitCode, string Stdout, string Stderr)
{
    private static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    public bool Succeeded => ExitCode == 0;

    /// <summary>Runs <paramref name="program"/>; a program that cannot be started gives exit code 127 and the reason as stderr.</summary>
    public static async Task<ToolRun> RunAsync(string program, IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null, TimeSpan? timeout = null)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException($"cannot start {program}");
        }
        catch (Exception exception) when (exception is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            return new ToolRun(127, string.Empty, $"{program}: {exception.Message}");
        }

        using (process)
        {
            process.StandardInput.Close();
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            using var deadline = new CancellationTokenSource(timeout ?? DefaultTimeout);
            try
            {
                await process.WaitForExitAsync(deadline.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                return new ToolRun(124, string.Empty, $"{program} {string.Join(' ', arguments)} did not end within {(timeout ?? DefaultTimeout).TotalSeconds} s");
            }

            return new ToolRun(process.ExitCode, await stdout, await stderr);
        }
    }

    public override string ToString() => $"exit {ExitCode}; stdout: {Stdout.Trim()}; stderr: {Stderr.Trim()}";
}
