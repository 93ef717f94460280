namespace WorkerNode.Configuration;

/// <summary>Everything <see cref="ConfigurationLoader.Load"/> reads besides the YAML file itself.</summary>
/// <param name="ConfigFile">The <c>--config</c> value; when null, <c>JOBMON__CONFIG_FILE</c> names the file, if set.</param>
/// <param name="Environment">The process environment (JOBMON__ variables and those that <c>$VAR</c> expands).</param>
/// <param name="Flags">
/// The flags the user gave, in command-line order, as raw strings: the config key (<c>http.request_timeout</c>),
/// the value, and the flag's spelling for messages (<c>--request-timeout</c>). A later flag for the same key wins.
/// </param>
public sealed record ConfigurationInput(
    string? ConfigFile,
    IReadOnlyDictionary<string, string> Environment,
    IReadOnlyList<(string Key, string Value, string FlagName)> Flags)
{
    /// <summary>
    /// Whether the mode talks to a server (worker_node_job/array, spool flush). When false (standalone <c>run</c>),
    /// the keys only a server needs (http.*, heartbeat.*, on_lost_server, spool_dir) are neither read nor
    /// validated: a bad JOBMON__HTTP__* variable meant for other tools must not stop a command that uses none.
    /// </summary>
    public bool UsesServer { get; init; } = true;
}
