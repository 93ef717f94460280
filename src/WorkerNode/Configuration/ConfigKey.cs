namespace WorkerNode.Configuration;

/// <summary>
/// One configuration key, declared once in <see cref="ConfigKeys"/>: its name, the JOBMON__ variable derived
/// from it, and how a raw string becomes part of <see cref="WorkerSettings"/>.
/// </summary>
internal abstract class ConfigKey
{
    protected ConfigKey(string section, string name, bool isSecret, bool isUrl)
    {
        Section = section;
        Name = name;
        FullName = section + "." + name;
        EnvironmentVariable = "JOBMON__" + section.ToUpperInvariant() + "__" + name.ToUpperInvariant();
        IsSecret = isSecret;
        IsUrl = isUrl;
    }

    /// <summary>The YAML section: http, heartbeat or worker_node.</summary>
    public string Section { get; }

    /// <summary>The key inside its section, e.g. request_timeout.</summary>
    public string Name { get; }

    /// <summary>section.key, as messages and flags name it: http.request_timeout.</summary>
    public string FullName { get; }

    /// <summary>JOBMON__SECTION__KEY, e.g. JOBMON__HTTP__REQUEST_TIMEOUT.</summary>
    public string EnvironmentVariable { get; }

    /// <summary>Only a mode that talks to a server uses it: http.*, heartbeat.*, worker_node.on_lost_server and spool_dir.</summary>
    public bool ServerOnly => Section != "worker_node" || Name is "on_lost_server" or "spool_dir";

    /// <summary>A secret's value never appears in a message.</summary>
    public bool IsSecret { get; }

    /// <summary>A URL may carry credentials (https://user:secret@host): a message shows it with them masked.</summary>
    public bool IsUrl { get; }

    public static ConfigKey Of<T>(string section, string name, ValueParser<T> parse, Func<WorkerSettings, T, WorkerSettings> apply, bool isSecret = false, bool isUrl = false) =>
        new ConfigKey<T>(section, name, parse, apply, isSecret, isUrl);

    /// <summary>Parses <paramref name="text"/> and stores it in <paramref name="settings"/>; false with a reason when it is not valid.</summary>
    public abstract bool TryApply(ref WorkerSettings settings, string text, out string? error);
}
