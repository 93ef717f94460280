using System.Globalization;

namespace WorkerNode.Configuration;

/// <summary>Strict number reading shared by the value parsers: invariant culture, no exponents, no NaN.</summary>
internal static class NumberText
{
    // Thousands separators, exponents, hex and "NaN"/"Infinity" are all refused: a config value like
    // "1,5" or "1e3" is far more likely a typo than an intent.
    private const NumberStyles Decimal = NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint;

    public static bool TryParseDecimal(ReadOnlySpan<char> text, out double value) =>
        double.TryParse(text, Decimal, CultureInfo.InvariantCulture, out value) && double.IsFinite(value);

    /// <summary>
    /// True for a well-formed number too large for a double (hundreds of digits): it is then "too large", not
    /// garbage, so that the message says what is wrong.
    /// </summary>
    public static bool IsTooLarge(ReadOnlySpan<char> text) =>
        double.TryParse(text, Decimal, CultureInfo.InvariantCulture, out var value) && double.IsPositiveInfinity(value);

    public static bool TryParseInteger(ReadOnlySpan<char> text, out long value) =>
        long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);

    /// <summary>Splits "1.5h" into "1.5" and "h": the number is the longest prefix of sign, digits and dots.</summary>
    public static void SplitNumberAndUnit(ReadOnlySpan<char> text, out ReadOnlySpan<char> number, out ReadOnlySpan<char> unit)
    {
        var end = 0;
        if (end < text.Length && (text[end] == '-' || text[end] == '+'))
        {
            end++;
        }

        while (end < text.Length && (char.IsAsciiDigit(text[end]) || text[end] == '.'))
        {
            end++;
        }

        number = text[..end];
        unit = text[end..].Trim();
    }
}
