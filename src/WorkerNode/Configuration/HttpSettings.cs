using System.Text;

namespace WorkerNode.Configuration;

/// <summary>The <c>http</c> section: where the server is and how hard to try reaching it.</summary>
public sealed record HttpSettings
{
    /// <summary>e.g. http://jobmon.example:8070; required in server mode.</summary>
    public Uri? ServiceUrl { get; init; }

    public string RoutePrefix { get; init; } = "/api/v3";

    /// <summary>Timeout of one attempt.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>Attempts per request, the first included.</summary>
    public int RetriesAttempts { get; init; } = 10;

    /// <summary>Time spent retrying one request, all attempts and waits included.</summary>
    public TimeSpan RetriesTimeout { get; init; } = TimeSpan.FromSeconds(300);

    /// <summary>Bearer token for a server behind an authenticating proxy. Never logged.</summary>
    public string? AuthToken { get; init; }

    /// <summary>
    /// File holding the bearer token; refused when group or others can read it. The loader reads it into
    /// <see cref="AuthToken"/> (the only place it is read); this is kept to say where the token came from.
    /// </summary>
    public string? AuthTokenFile { get; init; }

    /// <summary>PEM file of extra CA certificates trusted in addition to the system's.</summary>
    public string? CaBundle { get; init; }

    // The compiler's ToString would print the token; a settings dump in a log must not.
    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append("ServiceUrl = ").Append(ServiceUrl)
            .Append(", RoutePrefix = ").Append(RoutePrefix)
            .Append(", RequestTimeout = ").Append(RequestTimeout)
            .Append(", RetriesAttempts = ").Append(RetriesAttempts)
            .Append(", RetriesTimeout = ").Append(RetriesTimeout)
            .Append(", AuthToken = ").Append(AuthToken is null ? string.Empty : "***")
            .Append(", AuthTokenFile = ").Append(AuthTokenFile)
            .Append(", CaBundle = ").Append(CaBundle);
        return true;
    }
}
