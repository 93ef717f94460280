namespace WorkerNode.Cli;

/// <summary>The Jobmon protocol this worker speaks, and the client versions that speak it too.</summary>
public static class ProtocolVersion
{
    /// <summary>Jobmon's REST API major version.</summary>
    public const int Major = 3;

    /// <summary>
    /// True for any Jobmon 3.x.y (with or without a pre-release or local suffix, e.g. 3.4.1.dev2):
    /// the Python worker demands its own exact version, but every 3.x client speaks API v3.
    /// </summary>
    public static bool IsCompatible(string expected)
    {
        var text = expected.Trim();
        if (text.StartsWith('v') || text.StartsWith('V'))
        {
            text = text[1..];
        }

        var dot = text.IndexOf('.', StringComparison.Ordinal);
        var major = dot < 0 ? text : text[..dot];
        return major == Major.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }
}
