using System.Text;

namespace WorkerNode.IntegrationTests.Infrastructure;

/// <summary>Finds live processes by an environment marker every descendant of a test's worker inherits.</summary>
public static class ProcessScan
{
    /// <summary>Pids of live (non-zombie) processes whose environment holds NAME=VALUE.</summary>
    public static List<int> WithEnvironment(string name, string value)
    {
        var needle = Encoding.UTF8.GetBytes($"{name}={value}\0");
        var found = new List<int>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(System.IO.Path.GetFileName(directory), out var pid) || pid == Environment.ProcessId)
            {
                continue;
            }

            try
            {
                if (IsZombie(pid))
                {
                    continue;
                }

                var environment = File.ReadAllBytes($"/proc/{pid}/environ");
                if (environment.AsSpan().IndexOf(needle) >= 0)
                {
                    found.Add(pid);
                }
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                // Gone while we looked, or not ours to read.
            }
        }

        return found;
    }

    /// <summary>The state letter of /proc/PID/stat (R, S, Z, ...); null when the process is gone.</summary>
    public static char? State(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var close = stat.LastIndexOf(')');
            return close > 0 && close + 2 < stat.Length ? stat[close + 2] : null;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>
    /// Field <paramref name="field"/> of /proc/PID/stat as a number, counted from 1 as in proc(5) (4 = ppid,
    /// 5 = pgrp, 6 = session); read after the command name's closing parenthesis, which may hold spaces.
    /// </summary>
    public static int StatField(int pid, int field)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(field, 4);
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var rest = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return int.Parse(rest[field - 3], System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>True while the process exists and is not a zombie.</summary>
    public static bool IsAlive(int pid) => State(pid) is { } state && state is not ('Z' or 'X');

    /// <summary>Polls every 10 ms until the process is gone or a zombie; false when it still lives after <paramref name="timeout"/>.</summary>
    public static async Task<bool> WaitUntilGoneAsync(int pid, TimeSpan timeout)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (IsAlive(pid))
        {
            if (clock.Elapsed >= timeout)
            {
                return false;
            }

            await Task.Delay(10);
        }

        return true;
    }

    private static bool IsZombie(int pid) => State(pid) is null or 'Z' or 'X';
}
