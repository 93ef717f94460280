namespace WorkerNode.Jobmon.Transport;

/// <summary>
/// The bearer token of http.auth_token, checked for what an HTTP header can carry. The token itself never appears
/// in a message. A token file (http.auth_token_file) is read and checked by the configuration loader, once, into
/// http.auth_token: this class never opens it.
/// </summary>
internal static class BearerToken
{
    /// <summary>The token to send, trimmed, or null for none.</summary>
    public static string? Resolve(string? token)
    {
        token = token?.Trim();
        if (string.IsNullOrEmpty(token))
        {
            return null;
        }

        // A header value must be visible ASCII; a line break would even split the request.
        foreach (var character in token)
        {
            if (character is < '!' or > '~')
            {
                throw new JobmonConfigurationException("the bearer token (http.auth_token) holds a space, a line break or a non-ASCII character, which an HTTP header cannot carry");
            }
        }

        return token;
    }
}
