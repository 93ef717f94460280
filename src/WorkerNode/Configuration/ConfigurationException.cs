namespace WorkerNode.Configuration;

/// <summary>
/// A setting that cannot be used. <see cref="Exception.Message"/> is one line naming the key, the value
/// (never a secret) and where it came from, fit to print as it is.
/// </summary>
public sealed class ConfigurationException : Exception
{
    public ConfigurationException(string message, ConfigurationErrorKind kind)
        : base(message)
    {
        Kind = kind;
    }

    /// <summary>Whether the value came from a flag (usage) or from the file, environment or file system.</summary>
    public ConfigurationErrorKind Kind { get; }

    /// <summary>True when the bad value came from a command-line flag (exit 2); false means exit 198.</summary>
    public bool IsUsageError => Kind == ConfigurationErrorKind.Usage;
}
