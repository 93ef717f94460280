using System.Globalization;
using System.Text;

namespace WorkerNode.Cli;

/// <summary>The Jobmon protocol this worker speaks, and the client versions that speak it too.</summary>
public static class ProtocolVersion
{
    /// <summary>Jobmon's REST API major version.</summary>
    public const int Major = 3;

    // Longer than any real version (3.4.1.dev2+g1234abc.d20240101 is 29); also bounds what a message echoes.
    private const int MaxLength = 100;
    private const string Separators = "._-";

    /// <summary>
    /// True for a Jobmon 3.x.y as Python packaging writes it: <c>3.</c>, digits, <c>.</c>, digits, then an optional
    /// suffix of letters and digits in segments joined by <c>.</c>, <c>_</c> or <c>-</c> (<c>rc1</c>, <c>.dev2</c>,
    /// <c>.post1</c>) and an optional local part after <c>+</c> (<c>+local</c>, <c>+g1234abc.d20240101</c>). The Python
    /// worker demands its own exact version, but every 3.x client speaks API v3; anything that is not a version at
    /// all (<c>3</c>, <c>3.x</c>, <c>v3.4.0</c>, text with spaces) is refused, as a typo rather than a client.
    /// </summary>
    public static bool IsCompatible(string expected)
    {
        ArgumentNullException.ThrowIfNull(expected);
        var rest = expected.AsSpan();
        if (rest.Length > MaxLength || !rest.StartsWith("3.", StringComparison.Ordinal))
        {
            return false;
        }

        rest = rest[2..];
        if (!SkipDigits(ref rest) || rest.IsEmpty || rest[0] != '.')
        {
            return false;
        }

        rest = rest[1..];
        if (!SkipDigits(ref rest))
        {
            return false;
        }

        var plus = rest.IndexOf('+');
        return plus < 0
            ? IsSegments(rest, leadingSeparatorAllowed: true)
            : IsSegments(rest[..plus], leadingSeparatorAllowed: true) && plus + 1 < rest.Length && IsSegments(rest[(plus + 1)..], leadingSeparatorAllowed: false);
    }

    /// <summary>The one line for a version this worker does not accept: both versions, the client's quoted safely.</summary>
    public static string MismatchMessage(string expected) =>
        $"worker-node: version mismatch: this worker is {ToolVersion.Current} and speaks Jobmon {Major}.x.y (REST API v{Major}), but the workflow expects Jobmon {Quote(expected)}";

    private static bool SkipDigits(ref ReadOnlySpan<char> text)
    {
        var count = 0;
        while (count < text.Length && char.IsAsciiDigit(text[count]))
        {
            count++;
        }

        text = text[count..];
        return count > 0;
    }

    // Empty, or letters and digits in non-empty segments joined by single separators (a leading one allowed
    // where PEP 440 allows it: 3.4.0.dev2, 3.4.0-1).
    private static bool IsSegments(ReadOnlySpan<char> text, bool leadingSeparatorAllowed)
    {
        if (text.IsEmpty)
        {
            return true;
        }

        if (leadingSeparatorAllowed && Separators.Contains(text[0]))
        {
            text = text[1..];
        }

        var segmentLength = 0;
        foreach (var c in text)
        {
            if (char.IsAsciiLetterOrDigit(c))
            {
                segmentLength++;
            }
            else if (Separators.Contains(c) && segmentLength > 0)
            {
                segmentLength = 0;
            }
            else
            {
                return false;
            }
        }

        return segmentLength > 0;
    }

    // Control characters escaped and long text cut, so that whatever was passed stays on one short line.
    private static string Quote(string text)
    {
        var shown = new StringBuilder("'");
        foreach (var c in text.Length > MaxLength ? text.AsSpan(0, MaxLength) : text.AsSpan())
        {
            _ = char.IsControl(c) ? shown.Append(CultureInfo.InvariantCulture, $"\\x{(int)c:x2}") : shown.Append(c);
        }

        return shown.Append(text.Length > MaxLength ? "...'" : "'").ToString();
    }
}
