using System.Diagnostics;

namespace WorkerNode.IntegrationTests.Infrastructure;

/// <summary>
/// The published single-file worker-node, which is what the integration tests exercise: the
/// binary named by WORKER_NODE_BIN, else artifacts/bin/worker-node, published on first use if
/// missing (scripts/test publishes it before running the tests).
/// </summary>
public static class WorkerBinary
{
    private static readonly Lazy<string> Published = new(Locate, LazyThreadSafetyMode.ExecutionAndPublication);

    public static string Path => Published.Value;

    private static string Locate()
    {
        var configured = Environment.GetEnvironmentVariable("WORKER_NODE_BIN");
        if (!string.IsNullOrEmpty(configured))
        {
            return File.Exists(configured) ? configured : throw new FileNotFoundException($"WORKER_NODE_BIN={configured} does not exist");
        }

        var output = System.IO.Path.Combine(RepositoryPaths.Root, "artifacts", "bin");
        var binary = System.IO.Path.Combine(output, "worker-node");
        if (!File.Exists(binary))
        {
            Publish(output);
        }

        return binary;
    }

    private static void Publish(string output)
    {
        var project = System.IO.Path.Combine(RepositoryPaths.Root, "src", "WorkerNode");
        var start = new ProcessStartInfo("dotnet", ["publish", project, "-c", "Release", "-r", "linux-x64", "-o", output])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start) ?? throw new InvalidOperationException("cannot start dotnet publish");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(10)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("dotnet publish of worker-node took more than 10 minutes");
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"dotnet publish failed ({process.ExitCode}):\n{stdout.Result}\n{stderr.Result}");
        }
    }
}
