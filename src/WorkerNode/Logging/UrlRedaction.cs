namespace WorkerNode.Logging;

/// <summary>Hides credentials written into URLs (<c>http://user:pass@host</c> → <c>http://***@host</c>) before they reach a log or a message.</summary>
public static class UrlRedaction
{
    private const string Mask = "***";

    /// <summary>The URL as text, with its user information (if any) masked.</summary>
    public static string Redact(Uri url) =>
        url.IsAbsoluteUri && url.UserInfo.Length == 0 ? url.AbsoluteUri : Redact(url.OriginalString);

    /// <summary>
    /// A URL as someone wrote it, which may not even parse (<c>user:secret@host:8070</c>, no scheme): with
    /// "://" its user information is masked as in any text; without, everything before the last '@' of its
    /// first segment is taken for user information and masked.
    /// </summary>
    public static string RedactWritten(string url)
    {
        ArgumentNullException.ThrowIfNull(url);
        if (url.Contains("://", StringComparison.Ordinal))
        {
            return Redact(url);
        }

        var end = url.AsSpan().IndexOfAny("/?# \t\r\n");
        var at = (end < 0 ? url.AsSpan() : url.AsSpan(0, end)).LastIndexOf('@');
        return at < 0 ? url : string.Concat(Mask, url.AsSpan(at));
    }

    /// <summary>Masks the user information of every URL found in free text (an exception message, say).</summary>
    public static string Redact(string text)
    {
        var redacted = text;
        var from = 0;
        while ((from = redacted.IndexOf("://", from, StringComparison.Ordinal)) >= 0)
        {
            var authorityStart = from + 3;
            var authorityEnd = redacted.AsSpan(authorityStart).IndexOfAny("/?# \t\r\n\"'<>");
            var authority = authorityEnd < 0 ? redacted.AsSpan(authorityStart) : redacted.AsSpan(authorityStart, authorityEnd);

            // The last '@' ends the user information: a password may itself hold an unescaped '@'.
            var at = authority.LastIndexOf('@');
            if (at >= 0 && !authority[..at].SequenceEqual(Mask))
            {
                redacted = string.Concat(redacted.AsSpan(0, authorityStart), Mask, redacted.AsSpan(authorityStart + at));
            }

            from = authorityStart;
        }

        return redacted;
    }
}
