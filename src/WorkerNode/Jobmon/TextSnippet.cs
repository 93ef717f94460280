namespace WorkerNode.Jobmon;

/// <summary>Shortens text from the network for a one-line message.</summary>
internal static class TextSnippet
{
    // Cut only between words: a cut inside a word could leave part of a secret that the masking
    // (which looks for the whole secret) no longer recognises.
    private const string WordBreaks = " \"'<>{}[](),;";

    /// <summary>The text on one line, at most <paramref name="maxLength"/> characters plus "..." when cut.</summary>
    public static string Shorten(string text, int maxLength)
    {
        var oneLine = string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        if (oneLine.Length <= maxLength)
        {
            return oneLine;
        }

        var cut = oneLine.AsSpan(0, maxLength + 1).LastIndexOfAny(WordBreaks);
        return string.Concat(oneLine.AsSpan(0, Math.Max(cut, 0)), "...");
    }
}
