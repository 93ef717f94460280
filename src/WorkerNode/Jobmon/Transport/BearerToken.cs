namespace WorkerNode.Jobmon.Transport;

/// <summary>The bearer token of http.auth_token, or read from http.auth_token_file. The token itself never appears in a message.</summary>
internal static class BearerToken
{
    private const UnixFileMode GroupOrOthers =
        UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute
        | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    /// <summary>The token to send, or null for none.</summary>
    public static string? Resolve(string? token, string? tokenFile)
    {
        if (string.IsNullOrWhiteSpace(token) && !string.IsNullOrEmpty(tokenFile))
        {
            token = Read(tokenFile);
        }

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

    private static string Read(string path)
    {
        try
        {
            // Like ssh with its keys: a secret that others can read is refused, not used.
            if (!OperatingSystem.IsWindows() && (File.GetUnixFileMode(path) & GroupOrOthers) != 0)
            {
                throw new JobmonConfigurationException($"http.auth_token_file {path} is accessible to group or others: chmod 600 it");
            }

            return File.ReadAllText(path);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            throw new JobmonConfigurationException($"cannot read http.auth_token_file {path}: {error.Message}", error);
        }
    }
}
