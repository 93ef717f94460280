using System.Text;

namespace WorkerNode.Configuration;

/// <summary>
/// Expands <c>$VAR</c> and <c>${VAR}</c> as Python's <c>os.path.expandvars</c> does (which is what Jobmon uses):
/// a name is ASCII letters, digits and underscores; an unset variable is left as written.
/// </summary>
internal static class EnvironmentExpander
{
    public static string Expand(string text, IReadOnlyDictionary<string, string> environment)
    {
        var dollar = text.IndexOf('$');
        if (dollar < 0)
        {
            return text;
        }

        var result = new StringBuilder(text.Length + 32);
        result.Append(text, 0, dollar);
        var i = dollar;
        while (i < text.Length)
        {
            if (text[i] != '$')
            {
                result.Append(text[i]);
                i++;
                continue;
            }

            var (nameStart, nameEnd, end) = ReadReference(text, i);
            if (end > i && environment.TryGetValue(text[nameStart..nameEnd], out var value))
            {
                result.Append(value);
            }
            else
            {
                // Unset (or not a reference at all): keep the text as written.
                result.Append(text, i, Math.Max(end, i + 1) - i);
            }

            i = Math.Max(end, i + 1);
        }

        return result.ToString();
    }

    // Returns the name's bounds and the index after the reference; end == start when '$' starts no reference.
    private static (int NameStart, int NameEnd, int End) ReadReference(string text, int start)
    {
        var i = start + 1;
        if (i < text.Length && text[i] == '{')
        {
            var close = text.IndexOf('}', i + 1);
            return close < 0 ? (0, 0, start) : (i + 1, close, close + 1);
        }

        var nameStart = i;
        while (i < text.Length && (char.IsAsciiLetterOrDigit(text[i]) || text[i] == '_'))
        {
            i++;
        }

        return i == nameStart ? (0, 0, start) : (nameStart, i, i);
    }
}
