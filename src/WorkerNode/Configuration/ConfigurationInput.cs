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
    IReadOnlyList<(string Key, string Value, string FlagName)> Flags);
