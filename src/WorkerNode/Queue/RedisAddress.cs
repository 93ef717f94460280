using System.Globalization;

namespace WorkerNode.Queue;

/// <summary>
/// Where the queue's Redis is: <c>redis://[USER@]HOST[:PORT][/DB]</c> or <c>rediss://…</c> (TLS). A password
/// in the URL is accepted but never shown: <see cref="Display"/> is what logs and messages print.
/// </summary>
public sealed record RedisAddress(string Host, int Port, bool Tls, string? User, string? Password, int Database)
{
    public const int DefaultPort = 6379;

    /// <summary>The URL without its password, for logs and error lines.</summary>
    public string Display =>
        $"{(Tls ? "rediss" : "redis")}://{(User is null ? string.Empty : User + "@")}{(Host.Contains(':', StringComparison.Ordinal) ? $"[{Host}]" : Host)}:{Port.ToString(CultureInfo.InvariantCulture)}/{Database.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>Parses <paramref name="text"/>; on failure <paramref name="error"/> says what is wrong without repeating a password.</summary>
    public static bool TryParse(string text, out RedisAddress? address, out string? error)
    {
        address = null;
        error = null;
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || (uri.Scheme != "redis" && uri.Scheme != "rediss"))
        {
            error = "--redis wants a URL like redis://HOST:6379 or rediss://HOST:6380 (TLS)";
            return false;
        }

        if (string.IsNullOrEmpty(uri.Host))
        {
            error = "--redis names no host (redis://HOST:6379)";
            return false;
        }

        var database = 0;
        var path = uri.AbsolutePath.Trim('/');
        if (path.Length > 0 && (!int.TryParse(path, NumberStyles.None, CultureInfo.InvariantCulture, out database) || database > 15_999))
        {
            error = $"--redis: the path of the URL is the database number (redis://HOST:6379/0), not '{path}'";
            return false;
        }

        string? user = null, password = null;
        if (uri.UserInfo.Length > 0)
        {
            var parts = uri.UserInfo.Split(':', 2);
            user = parts[0].Length > 0 ? Uri.UnescapeDataString(parts[0]) : null;
            password = parts.Length > 1 ? Uri.UnescapeDataString(parts[1]) : null;
        }

        var host = uri.Host.TrimStart('[').TrimEnd(']');
        address = new RedisAddress(host, uri.IsDefaultPort || uri.Port < 0 ? DefaultPort : uri.Port, uri.Scheme == "rediss", user, password, database);
        return true;
    }

    /// <summary>The password never appears in a record's printed form either.</summary>
    public override string ToString() => Display;
}
