using CliWrap;
using CliWrap.Buffered;
using WorkerNode.IntegrationTests.Infrastructure;

namespace WorkerNode.IntegrationTests.Build;

/// <summary>
/// The cached Debian 11 (bullseye, glibc 2.31) root of scripts/ensure-bullseye, made once per test
/// run when absent. Tests run worker-node in it through scripts/in-bullseye, in an overlay: each
/// test's files (and whatever the worker writes) land in its own upper directory, never in the root.
/// </summary>
public sealed class BullseyeRoot
{
    private static readonly Lazy<BullseyeRoot> Shared = new(Make, LazyThreadSafetyMode.ExecutionAndPublication);

    private BullseyeRoot(string? path, string? unavailable)
    {
        Path = path;
        Unavailable = unavailable;
    }

    public static BullseyeRoot Instance => Shared.Value;

    /// <summary>The root directory, or null when it cannot be made here.</summary>
    public string? Path { get; }

    /// <summary>Why the root cannot be made (one line, from ensure-bullseye), or null.</summary>
    public string? Unavailable { get; }

    /// <summary>scripts/in-bullseye, which runs a command in an overlay of the root.</summary>
    public static string Runner => System.IO.Path.Combine(RepositoryPaths.Root, "scripts", "in-bullseye");

    /// <summary>Skips the calling test, with the one line that says why, when there is no root.</summary>
    public void SkipUnlessAvailable() => Skip.If(Unavailable is not null, Unavailable);

    /// <summary>
    /// A fresh upper directory holding the published worker-node at /opt/worker-node/worker-node and the
    /// worker_node_entry_point link beside it; removed by disposing the result.
    /// </summary>
    public static UpperDirectory WithWorker()
    {
        var upper = new UpperDirectory();
        var bin = upper.Inside("/opt/worker-node");
        Directory.CreateDirectory(bin);
        File.Copy(WorkerBinary.Path, System.IO.Path.Combine(bin, "worker-node"));
        File.CreateSymbolicLink(System.IO.Path.Combine(bin, "worker_node_entry_point"), "worker-node");
        return upper;
    }

    private static BullseyeRoot Make()
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(20));
        try
        {
            var result = Cli.Wrap(System.IO.Path.Combine(RepositoryPaths.Root, "scripts", "ensure-bullseye"))
                .WithValidation(CommandResultValidation.None)
                .ExecuteBufferedAsync(deadline.Token)
                .GetAwaiter().GetResult();
            if (result.ExitCode != 0)
            {
                return new BullseyeRoot(null, LastLine(result.StandardError) ?? $"scripts/ensure-bullseye exited {result.ExitCode}");
            }

            // The root exists; entering it needs mount namespaces and overlayfs (root, not in every container).
            using var upper = new UpperDirectory();
            var probe = Cli.Wrap(Runner).WithArguments([upper.Path, "/bin/true"])
                .WithValidation(CommandResultValidation.None)
                .ExecuteBufferedAsync(deadline.Token)
                .GetAwaiter().GetResult();
            return probe.ExitCode == 0
                ? new BullseyeRoot(result.StandardOutput.Trim(), null)
                : new BullseyeRoot(null, $"scripts/in-bullseye cannot enter the Debian 11 root here: {LastLine(probe.StandardError) ?? $"exit {probe.ExitCode}"}");
        }
        catch (OperationCanceledException)
        {
            return new BullseyeRoot(null, "scripts/ensure-bullseye took more than 20 minutes (killed)");
        }
    }

    private static string? LastLine(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault();
}
