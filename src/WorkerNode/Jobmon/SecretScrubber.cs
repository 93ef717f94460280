using WorkerNode.Logging;

namespace WorkerNode.Jobmon;

/// <summary>
/// Makes text from the network or from exceptions safe and short for a log line or a message:
/// credentials in URLs and the bearer token masked (before shortening, so that no part of a
/// secret survives a cut), one line, bounded length.
/// </summary>
internal sealed class SecretScrubber
{
    private const int MaxLength = 300;
    private readonly string? _token;

    public SecretScrubber(string? token) => _token = string.IsNullOrEmpty(token) ? null : token;

    public string Clean(string text)
    {
        var clean = UrlRedaction.Redact(text);
        if (_token is not null)
        {
            clean = clean.Replace(_token, "***", StringComparison.Ordinal);
        }

        return TextSnippet.Shorten(clean, MaxLength);
    }
}
