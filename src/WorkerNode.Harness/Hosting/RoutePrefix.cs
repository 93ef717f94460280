namespace WorkerNode.Harness.Hosting;

/// <summary>Checks and normalises a route prefix: a leading slash, no trailing one, and clear of the admin API.</summary>
internal static class RoutePrefix
{
    /// <summary>The normalised prefix (<c>""</c> for the root), or null with a reason.</summary>
    public static string? Normalize(string prefix, out string? problem)
    {
        var trimmed = prefix.TrimEnd('/');
        problem = trimmed switch
        {
            _ when prefix.Length > 0 && prefix[0] != '/' => $"route prefix '{prefix}' must start with '/'",
            _ when trimmed.IndexOfAny(['{', '}', '?', '#', '*', ' ']) >= 0 => $"route prefix '{prefix}' may hold only plain path segments",
            _ when trimmed == "/admin" || trimmed.StartsWith("/admin/", StringComparison.Ordinal) =>
                $"route prefix '{prefix}' would hide the admin API under /admin",
            _ => null,
        };
        return problem is null ? trimmed : null;
    }
}
