namespace WorkerNode.Configuration;

/// <summary>Where a raw setting came from: its layer (for precedence), its blame, and how to name it in a message.</summary>
/// <param name="Rank">1 for the YAML file, 2 for an environment variable, 3 for a flag: higher wins.</param>
/// <param name="Kind">Usage for a flag, Environment otherwise.</param>
/// <param name="Description">Read after "from": a file path, "environment variable X" or a flag name.</param>
internal sealed record ValueSource(int Rank, ConfigurationErrorKind Kind, string Description)
{
    public static ValueSource File(string path) => new(1, ConfigurationErrorKind.Environment, path);

    public static ValueSource Variable(string name) => new(2, ConfigurationErrorKind.Environment, "environment variable " + name);

    public static ValueSource Flag(string flagName) => new(3, ConfigurationErrorKind.Usage, flagName);
}
