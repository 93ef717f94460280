namespace WorkerNode.Execution;

/// <summary>
/// The environment a command gets: the worker's own, less the worker's secrets, plus the task's
/// variables. The bearer token is the worker's credential for the server, not the command's: a
/// command (the user's code, or whatever it runs) has no business reading it from its environment,
/// /proc/PID/environ of its children, or a core dump.
/// </summary>
public static class CommandEnvironment
{
    /// <summary>
    /// True for the worker's own secret settings: a <c>JOBMON__</c> variable whose key names a token,
    /// password or secret (<c>JOBMON__HTTP__AUTH_TOKEN</c>). Their <c>_FILE</c> forms name a path, not a secret, and are kept.
    /// </summary>
    public static bool IsWorkerSecret(string name) =>
        name.StartsWith("JOBMON__", StringComparison.OrdinalIgnoreCase)
        && !name.EndsWith("_FILE", StringComparison.OrdinalIgnoreCase)
        && (name.EndsWith("TOKEN", StringComparison.OrdinalIgnoreCase)
            || name.Contains("PASSWORD", StringComparison.OrdinalIgnoreCase)
            || name.Contains("SECRET", StringComparison.OrdinalIgnoreCase));

    /// <summary>NAME=VALUE strings for execve.</summary>
    public static List<string> Build(IReadOnlyDictionary<string, string> worker, IReadOnlyDictionary<string, string> extra)
    {
        var result = new List<string>(worker.Count + extra.Count);
        foreach (var (name, value) in worker)
        {
            if (!extra.ContainsKey(name) && !IsWorkerSecret(name))
            {
                result.Add($"{name}={value}");
            }
        }

        foreach (var (name, value) in extra)
        {
            result.Add($"{name}={value}");
        }

        return result;
    }
}
