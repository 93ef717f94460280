using System.Diagnostics;
using WorkerNode.IntegrationTests.Infrastructure;

namespace WorkerNode.IntegrationTests.ProcessControl;

/// <summary>
/// worker-node as PID 1 of a PID namespace (a container entrypoint), made with util-linux's
/// `unshare --pid --fork --mount-proc`: it reaps every orphan, forwards SIGTERM, and exits with
/// the command's status, as tini does.
/// </summary>
public sealed class Pid1Tests
{
    [Fact]
    public async Task ExitsWithTheCommandsStatus()
    {
        // The command's parent is the exec shim; the shim's parent is the worker, which must be PID 1.
        var result = await WorkerRun.RunAsync(program: "unshare", arguments: Unshare("sh", "-c",
            "echo \"worker-pid=$(sed -n 's/^PPid:[[:space:]]*//p' /proc/$PPID/status)\"; exit 5"));

        Assert.Equal(5, result.ExitCode);
        Assert.Matches(@"(?m)^worker-pid=1$", result.Stdout);
    }

    [Fact]
    public async Task ReapsOrphanedZombies()
    {
        // Each (sleep &) is orphaned at once and reparented to PID 1: the worker. After they end,
        // count the zombies left in the namespace.
        var result = await WorkerRun.RunAsync(program: "unshare", arguments: Unshare("sh", "-c",
            "for i in 1 2 3 4 5; do (sleep 0.1 &); done; sleep 1; n=0; for s in /proc/[0-9]*/stat; do case \"$(cut -d' ' -f3 $s 2>/dev/null)\" in Z) n=$((n+1));; esac; done; echo zombies=$n"));

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("zombies=0", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ForwardsSigtermToTheCommand()
    {
        await using var run = WorkerRun.Start(Unshare("sh", "-c", "trap 'echo got-term; exit 9' TERM; echo ready; while :; do sleep 0.1; done"), program: "unshare");
        await run.WaitForStdoutAsync("ready");
        var worker = FindWorkerInside(run);

        UnixSignals.Send(worker, UnixSignals.Term);
        var result = await run.WaitAsync();

        Assert.Contains("got-term", result.Stdout, StringComparison.Ordinal);
        Assert.Equal(143, result.ExitCode);
    }

    private static IEnumerable<string> Unshare(params string[] command) =>
        ["--pid", "--fork", "--mount-proc", WorkerBinary.Path, "run", "--", .. command];

    private static int FindWorkerInside(WorkerRun run)
    {
        foreach (var pid in run.Leftovers())
        {
            var arguments = File.ReadAllText($"/proc/{pid}/cmdline").Split('\0');
            if (arguments[0] == WorkerBinary.Path && ProcessScan.StatField(pid, 4) == run.Pid)
            {
                return pid;
            }
        }

        throw new InvalidOperationException("worker-node is not running inside the namespace");
    }
}
