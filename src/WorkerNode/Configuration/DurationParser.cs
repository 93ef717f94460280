using System.Diagnostics.CodeAnalysis;

namespace WorkerNode.Configuration;

/// <summary>
/// Reads durations as people and Slurm write them: <c>90s</c>, <c>15m</c>, <c>2h</c>, <c>1d</c>, <c>1.5h</c>,
/// <c>500ms</c>, <c>HH:MM:SS</c>, <c>MM:SS</c>, and Slurm's <c>D-HH:MM:SS</c>, <c>D-HH:MM</c>, <c>D-HH</c>.
/// </summary>
/// <remarks>
/// Errors are reasons that read after the quoted value, e.g. <c>'12X' is not a duration ...</c>.
/// Negative values parse (so that the caller can say "must be greater than 0" rather than "garbage").
/// </remarks>
public static class DurationParser
{
    /// <summary>The hint given when a time limit has no unit.</summary>
    public const string UnitHint = "give a unit: 90s, 15m, 2h or HH:MM:SS";

    private const string TooLong = "is too long";

    /// <summary>
    /// A time limit: a unit or clock form is required (a bare <c>90</c> is ambiguous: Slurm reads minutes,
    /// Jobmon seconds), and the value must be greater than zero.
    /// </summary>
    public static bool TryParseTimeLimit(string text, out TimeSpan value, [NotNullWhen(false)] out string? error)
    {
        if (!TryParse(text, bareNumberIsSeconds: false, out value, out error))
        {
            return false;
        }

        if (value <= TimeSpan.Zero)
        {
            error = "must be greater than 0";
            return false;
        }

        return true;
    }

    /// <summary>
    /// A duration where a bare number means seconds (Jobmon's style for <c>*_timeout</c> and <c>*_interval</c>);
    /// units and clock forms are accepted too. Range checks are the caller's.
    /// </summary>
    public static bool TryParseSeconds(string text, out TimeSpan value, [NotNullWhen(false)] out string? error) =>
        TryParse(text, bareNumberIsSeconds: true, out value, out error);

    private static bool TryParse(string text, bool bareNumberIsSeconds, out TimeSpan value, [NotNullWhen(false)] out string? error)
    {
        value = TimeSpan.Zero;
        var span = text.AsSpan().Trim();
        var garbage = bareNumberIsSeconds ? "is not a number of seconds" : "is not a duration; " + UnitHint;
        if (span.IsEmpty)
        {
            error = "is empty";
            return false;
        }

        var negative = span[0] == '-';
        var body = negative ? span[1..] : span;
        double seconds;
        if (body.IndexOfAny(':', '-') >= 0)
        {
            if (!TryParseClock(body, out seconds))
            {
                error = garbage;
                return false;
            }
        }
        else
        {
            NumberText.SplitNumberAndUnit(body, out var number, out var unit);
            if (number.IsEmpty || number[0] == '-' || number[0] == '+' || !NumberText.TryParseDecimal(number, out var amount))
            {
                error = !number.IsEmpty && char.IsAsciiDigit(number[0]) && NumberText.IsTooLarge(number) ? TooLong : garbage;
                return false;
            }

            if (unit.IsEmpty)
            {
                if (!bareNumberIsSeconds)
                {
                    error = "has no unit; " + UnitHint;
                    return false;
                }

                seconds = amount;
            }
            else
            {
                var unitSeconds = UnitSeconds(unit);
                if (unitSeconds == 0)
                {
                    error = garbage;
                    return false;
                }

                seconds = amount * unitSeconds;
            }
        }

        if (seconds * TimeSpan.TicksPerSecond >= TimeSpan.MaxValue.Ticks)
        {
            error = TooLong;
            return false;
        }

        var ticks = (long)Math.Round(seconds * TimeSpan.TicksPerSecond);
        value = TimeSpan.FromTicks(negative ? -ticks : ticks);
        error = null;
        return true;
    }

    private static double UnitSeconds(ReadOnlySpan<char> unit)
    {
        // Case-insensitive on purpose: "15M" is minutes here, as in Slurm's own time strings there is no month.
        Span<char> lower = stackalloc char[8];
        if (unit.Length > lower.Length)
        {
            return 0;
        }

        var length = unit.ToLowerInvariant(lower);
        return lower[..length] switch
        {
            "ms" => 0.001,
            "s" or "sec" or "secs" or "second" or "seconds" => 1,
            "m" or "min" or "mins" or "minute" or "minutes" => 60,
            "h" or "hr" or "hrs" or "hour" or "hours" => 3600,
            "d" or "day" or "days" => 86400,
            _ => 0,
        };
    }

    // MM:SS, HH:MM:SS, and with a day count D-HH, D-HH:MM, D-HH:MM:SS (Slurm's forms). The leading field may
    // exceed its usual range ("90:00" is 90 minutes, as Slurm reads it); the following ones may not.
    private static bool TryParseClock(ReadOnlySpan<char> text, out double seconds)
    {
        seconds = 0;
        long days = 0;
        var dash = text.IndexOf('-');
        var hasDays = dash >= 0;
        if (hasDays)
        {
            if (!TryParseField(text[..dash], out days))
            {
                return false;
            }

            text = text[(dash + 1)..];
        }

        Span<long> fields = stackalloc long[3];
        var count = 0;
        foreach (var range in text.Split(':'))
        {
            if (count == 3 || !TryParseField(text[range], out fields[count]))
            {
                return false;
            }

            count++;
        }

        // Without days a single field has no colon and is not a clock form; with days it is the hours.
        if (count == 1 && !hasDays)
        {
            return false;
        }

        long hours, minutes, secs;
        if (hasDays)
        {
            hours = fields[0];
            minutes = count > 1 ? fields[1] : 0;
            secs = count > 2 ? fields[2] : 0;
            if (hours > 23)
            {
                return false;
            }
        }
        else if (count == 2)
        {
            hours = 0;
            minutes = fields[0];
            secs = fields[1];
        }
        else
        {
            hours = fields[0];
            minutes = fields[1];
            secs = fields[2];
        }

        var leadingIsMinutes = !hasDays && count == 2;
        if ((!leadingIsMinutes && minutes > 59) || secs > 59)
        {
            return false;
        }

        seconds = (((days * 24.0) + hours) * 60 + minutes) * 60 + secs;
        return true;
    }

    private static bool TryParseField(ReadOnlySpan<char> field, out long value)
    {
        value = 0;
        if (field.IsEmpty || field.Length > 12)
        {
            return false;
        }

        foreach (var c in field)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }

            value = (value * 10) + (c - '0');
        }

        return true;
    }
}
