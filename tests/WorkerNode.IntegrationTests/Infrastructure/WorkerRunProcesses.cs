using System.Diagnostics;

namespace WorkerNode.IntegrationTests.Infrastructure;

/// <summary>Finds the processes a test's worker started, by the name the kernel gives them (/proc/PID/comm).</summary>
public static class WorkerRunProcesses
{
    /// <summary>How long a command may take to appear: a loaded machine (four builds on two cores) starts processes slowly.</summary>
    public static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(20);

    /// <summary>
    /// The pid of a live descendant of <paramref name="run"/> named <paramref name="name"/>, polled every 20 ms;
    /// <see cref="TimeoutException"/> when none appears within <see cref="StartTimeout"/>.
    /// </summary>
    public static async Task<int> FindDescendantAsync(this WorkerRun run, string name)
    {
        ArgumentNullException.ThrowIfNull(run);
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < StartTimeout)
        {
            foreach (var pid in run.Leftovers())
            {
                if (CommandName(pid) == name)
                {
                    return pid;
                }
            }

            await Task.Delay(20);
        }

        throw new TimeoutException($"no process named '{name}' started by the worker within {StartTimeout.TotalSeconds:0} s");
    }

    private static string CommandName(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/comm").Trim();
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            // Gone while we looked.
            return string.Empty;
        }
    }
}
