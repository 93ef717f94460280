using CliWrap;
using CliWrap.Buffered;

namespace WorkerNode.IntegrationTests.Infrastructure;

/// <summary>
/// The published native worker-node, which is what the integration tests exercise: the
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
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(15));
        BufferedCommandResult result;
        try
        {
            // Called once, from a Lazy: there is no caller to await, so the first test blocks here.
            result = Cli.Wrap("dotnet")
                .WithArguments(["publish", project, "-c", "Release", "-r", "linux-x64", "-o", output, "--nologo", "-v", "quiet"])
                .WithValidation(CommandResultValidation.None)
                .ExecuteBufferedAsync(deadline.Token)
                .GetAwaiter().GetResult();
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException("dotnet publish of worker-node took more than 15 minutes (killed)");
        }

        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"dotnet publish failed ({result.ExitCode}):\n{result.StandardOutput}\n{result.StandardError}");
        }
    }
}
