namespace WorkerNode.Execution;

/// <summary>Finds a program the way execvp does, before spawning, so "not found" is a clear message and not a mystery.</summary>
public static class ExecutableResolver
{
    private const UnixFileMode AnyExecute = UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;

    /// <summary>
    /// A name containing a slash is used as given when something exists there (execve says what is wrong
    /// with it otherwise); otherwise the first executable file of that name in <paramref name="searchPath"/>
    /// (PATH). Null when there is none: "command not found" then reads the same whether PATH was searched or not.
    /// </summary>
    public static string? Resolve(string name, string? searchPath)
    {
        if (name.Length == 0)
        {
            return null;
        }

        if (name.Contains('/', StringComparison.Ordinal))
        {
            return File.Exists(name) || Directory.Exists(name) ? name : null;
        }

        foreach (var directory in (searchPath ?? "/usr/local/bin:/usr/bin:/bin").Split(':'))
        {
            var candidate = Path.Combine(directory.Length == 0 ? "." : directory, name);
            try
            {
                if (File.Exists(candidate) && (File.GetUnixFileMode(candidate) & AnyExecute) != 0)
                {
                    return candidate;
                }
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
        }

        return null;
    }
}
