namespace WorkerNode.Configuration;

/// <summary>Who is to blame for a bad setting, which decides the exit status.</summary>
public enum ConfigurationErrorKind
{
    /// <summary>The value came from a command-line flag: the caller exits 2, like any usage error.</summary>
    Usage,

    /// <summary>The value came from the YAML file, a JOBMON__ variable or the file system: the caller exits 198.</summary>
    Environment,
}
