using System.Diagnostics.CodeAnalysis;
using WorkerNode.Logging;

namespace WorkerNode.Configuration;

/// <summary>The parsers and range rules the config keys are declared with (see <see cref="ConfigKeys"/>).</summary>
internal static class ConfigValueParsers
{
    /// <summary>
    /// The longest interval or timeout a key may set: timers, Task.Delay and HttpClient.Timeout take at most
    /// int.MaxValue milliseconds (24.8 days) and throw beyond it, so a longer value would crash the worker mid-run.
    /// </summary>
    public static readonly TimeSpan MaxInterval = TimeSpan.FromDays(24);

    /// <summary>The longest time limit: a year is far beyond any allocation, and keeps deadline arithmetic in range.</summary>
    public static readonly TimeSpan MaxTimeLimit = TimeSpan.FromDays(365);

    public static bool PositiveSeconds(string text, out TimeSpan value, [NotNullWhen(false)] out string? error) =>
        DurationParser.TryParseSeconds(text, out value, out error)
        && Check(value > TimeSpan.Zero, "must be greater than 0", out error)
        && AtMost(value, MaxInterval, out error);

    public static bool NonNegativeSeconds(string text, out TimeSpan value, [NotNullWhen(false)] out string? error) =>
        DurationParser.TryParseSeconds(text, out value, out error)
        && Check(value >= TimeSpan.Zero, "must not be negative", out error)
        && AtMost(value, MaxInterval, out error);

    public static bool TimeLimit(string text, out TimeSpan value, [NotNullWhen(false)] out string? error) =>
        DurationParser.TryParseTimeLimit(text, out value, out error)
        && AtMost(value, MaxTimeLimit, out error);

    /// <summary>The reason a duration over <paramref name="maximum"/> (a whole number of days) is refused.</summary>
    public static string TooLong(TimeSpan maximum) =>
        $"must be at most {maximum.TotalDays.ToString(System.Globalization.CultureInfo.InvariantCulture)} days";

    public static bool MemoryLimit(string text, out long value, [NotNullWhen(false)] out string? error) =>
        SizeParser.TryParse(text, out value, out error);

    public static bool AtLeastOneInteger(string text, out int value, [NotNullWhen(false)] out string? error)
    {
        value = 0;
        if (!NumberText.TryParseInteger(text.AsSpan().Trim(), out var number))
        {
            error = "is not a whole number";
            return false;
        }

        if (number < 1)
        {
            error = "must be at least 1";
            return false;
        }

        value = (int)Math.Min(number, int.MaxValue);
        error = null;
        return true;
    }

    public static bool AtLeastOneNumber(string text, out double value, [NotNullWhen(false)] out string? error)
    {
        if (!NumberText.TryParseDecimal(text.AsSpan().Trim(), out value))
        {
            error = "is not a number";
            return false;
        }

        return Check(value >= 1, "must be at least 1", out error);
    }

    /// <summary>0 ≤ x &lt; 1, written as a fraction (<c>0.05</c>) or a percentage (<c>5%</c>).</summary>
    public static bool Fraction(string text, out double value, [NotNullWhen(false)] out string? error)
    {
        var span = text.AsSpan().Trim();
        var percent = span.EndsWith('%');
        if (!NumberText.TryParseDecimal(percent ? span[..^1].TrimEnd() : span, out value))
        {
            error = "is not a fraction like 0.05 or 5%";
            return false;
        }

        if (percent)
        {
            value /= 100;
        }

        return Check(value is >= 0 and < 1, "must be at least 0 and less than 1 (0% to 99%)", out error);
    }

    public static bool Boolean(string text, out bool value, [NotNullWhen(false)] out string? error)
    {
        var span = text.AsSpan().Trim();
        if (IsAny(span, "true", "yes", "on", "1"))
        {
            value = true;
        }
        else if (IsAny(span, "false", "no", "off", "0"))
        {
            value = false;
        }
        else
        {
            value = false;
            error = "is not a boolean (true/false, yes/no, on/off, 1/0)";
            return false;
        }

        error = null;
        return true;
    }

    public static bool HttpUrl(string text, [MaybeNullWhen(false)] out Uri value, [NotNullWhen(false)] out string? error)
    {
        var ok = Uri.TryCreate(text.Trim(), UriKind.Absolute, out var uri)
            && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
            && uri.Host.Length > 0;
        value = ok ? uri : null;
        return Check(ok, "is not an absolute http:// or https:// URL", out error);
    }

    public static bool RoutePrefix(string text, out string value, [NotNullWhen(false)] out string? error)
    {
        value = text.Trim();
        return Check(value.StartsWith('/'), "must start with /", out error);
    }

    public static bool Text(string text, out string value, [NotNullWhen(false)] out string? error)
    {
        value = text.Trim();
        error = null;
        return true;
    }

    /// <summary>
    /// A directory that the worker and, later, a flusher started elsewhere must both find: a relative
    /// path would resolve against two different working directories.
    /// </summary>
    public static bool AbsolutePath(string text, out string value, [NotNullWhen(false)] out string? error)
    {
        value = text.Trim();
        return Check(value.StartsWith('/'), "must be an absolute path (starting with /)", out error);
    }

    public static bool MemoryMetric(string text, out MemoryMetric value, [NotNullWhen(false)] out string? error) =>
        OneOf(text, "must be rss or pss", out value, out error, ("rss", Configuration.MemoryMetric.Rss), ("pss", Configuration.MemoryMetric.Pss));

    public static bool LostServerPolicy(string text, out LostServerPolicy value, [NotNullWhen(false)] out string? error) =>
        OneOf(text, "must be stop or continue", out value, out error, ("stop", Configuration.LostServerPolicy.Stop), ("continue", Configuration.LostServerPolicy.Continue));

    public static bool LogLevel(string text, out LogLevel value, [NotNullWhen(false)] out string? error) =>
        OneOf(
            text,
            "must be debug, info, warning or error",
            out value,
            out error,
            ("debug", Logging.LogLevel.Debug),
            ("info", Logging.LogLevel.Info),
            ("warning", Logging.LogLevel.Warning),
            ("error", Logging.LogLevel.Error));

    public static bool LogFormat(string text, out LogFormat value, [NotNullWhen(false)] out string? error) =>
        OneOf(text, "must be text or json", out value, out error, ("text", Logging.LogFormat.Text), ("json", Logging.LogFormat.Json));

    public static bool LogDestination(string text, out LogDestination value, [NotNullWhen(false)] out string? error) =>
        OneOf(text, "must be stdout or stderr", out value, out error, ("stdout", Logging.LogDestination.Stdout), ("stderr", Logging.LogDestination.Stderr));

    private static bool OneOf<T>(string text, string reason, out T value, [NotNullWhen(false)] out string? error, params ReadOnlySpan<(string Name, T Value)> choices)
        where T : struct
    {
        var span = text.AsSpan().Trim();
        foreach (var choice in choices)
        {
            if (span.Equals(choice.Name, StringComparison.OrdinalIgnoreCase))
            {
                value = choice.Value;
                error = null;
                return true;
            }
        }

        value = default;
        error = reason;
        return false;
    }

    private static bool IsAny(ReadOnlySpan<char> span, string a, string b, string c, string d) =>
        span.Equals(a, StringComparison.OrdinalIgnoreCase) || span.Equals(b, StringComparison.OrdinalIgnoreCase)
        || span.Equals(c, StringComparison.OrdinalIgnoreCase) || span.Equals(d, StringComparison.OrdinalIgnoreCase);

    private static bool AtMost(TimeSpan value, TimeSpan maximum, [NotNullWhen(false)] out string? error) =>
        Check(value <= maximum, TooLong(maximum), out error);

    private static bool Check(bool ok, string reason, [NotNullWhen(false)] out string? error)
    {
        error = ok ? null : reason;
        return ok;
    }
}
