using System.Reflection;

namespace WorkerNode.Cli;

/// <summary>This build's version, as --version prints it.</summary>
public static class ToolVersion
{
    /// <summary>e.g. "0.1.0+3f2a9c1d04be" (the commit shortened to 12 characters).</summary>
    public static string Current
    {
        get
        {
            var version = typeof(ToolVersion).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";
            var plus = version.IndexOf('+', StringComparison.Ordinal);
            return plus >= 0 && version.Length > plus + 13 ? version[..(plus + 13)] : version;
        }
    }

    /// <summary>The --version line: the tool's version and the protocol it speaks.</summary>
    public static string Line => $"worker-node {Current} (Jobmon worker protocol: REST API v{ProtocolVersion.Major}, accepts --expected_jobmon_version {ProtocolVersion.Major}.x.y)";
}
