namespace WorkerNode.Execution;

/// <summary>What to run and where its streams go.</summary>
/// <param name="ExecutablePath">The program execve runs (already resolved against PATH).</param>
/// <param name="Arguments">Its argv, argv[0] included.</param>
/// <param name="WorkerEnvironment">The worker's own environment, as read once at start; the command inherits it.</param>
/// <param name="ExtraEnvironment">Variables added to (or replacing) the worker's own environment.</param>
/// <param name="StdinFromDevNull">True in server mode; standalone mode passes the worker's stdin on.</param>
/// <param name="Stdout">Where stdout goes besides its tail.</param>
/// <param name="Stderr">Where stderr goes besides its tail.</param>
public sealed record CommandSpec(
    string ExecutablePath,
    IReadOnlyList<string> Arguments,
    IReadOnlyDictionary<string, string> WorkerEnvironment,
    IReadOnlyDictionary<string, string> ExtraEnvironment,
    bool StdinFromDevNull,
    OutputTarget Stdout,
    OutputTarget Stderr)
{
    /// <summary>A shell command line run as the Python worker runs it: /bin/sh -c COMMAND.</summary>
    public static CommandSpec Shell(
        string command,
        IReadOnlyDictionary<string, string> workerEnvironment,
        IReadOnlyDictionary<string, string> extraEnvironment,
        OutputTarget stdout,
        OutputTarget stderr) =>
        new("/bin/sh", ["/bin/sh", "-c", command], workerEnvironment, extraEnvironment, StdinFromDevNull: true, stdout, stderr);
}
