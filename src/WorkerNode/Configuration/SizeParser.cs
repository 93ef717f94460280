using System.Diagnostics.CodeAnalysis;

namespace WorkerNode.Configuration;

/// <summary>
/// Reads memory sizes as Slurm does: binary units K, M, G, T (case-insensitive, optionally followed by
/// <c>B</c> or <c>iB</c>, all meaning powers of 1024), fractions allowed, and a bare number meaning MiB.
/// </summary>
public static class SizeParser
{
    private const string Garbage = "is not a size like 512M, 4G or 1.5T";
    private const string TooLarge = "is too large";

    /// <summary>Parses a size greater than zero into bytes; on failure, a reason to put after the quoted value.</summary>
    public static bool TryParse(string text, out long bytes, [NotNullWhen(false)] out string? error)
    {
        bytes = 0;
        var span = text.AsSpan().Trim();
        if (span.IsEmpty)
        {
            error = "is empty";
            return false;
        }

        NumberText.SplitNumberAndUnit(span, out var number, out var unit);
        if (number.IsEmpty || number[0] == '+' || !NumberText.TryParseDecimal(number, out var amount))
        {
            error = !number.IsEmpty && number[0] != '+' && NumberText.IsTooLarge(number) && Multiplier(unit) != 0 ? TooLarge : Garbage;
            return false;
        }

        var multiplier = Multiplier(unit);
        if (multiplier == 0)
        {
            error = Garbage;
            return false;
        }

        var total = Math.Floor(amount * multiplier);
        if (total <= 0)
        {
            error = "must be greater than 0";
            return false;
        }

        // long.MaxValue is not exactly representable as a double; compare against 2^63.
        if (total >= 9.2233720368547758E18)
        {
            error = TooLarge;
            return false;
        }

        bytes = (long)total;
        error = null;
        return true;
    }

    private static double Multiplier(ReadOnlySpan<char> unit)
    {
        if (unit.IsEmpty)
        {
            return 1L << 20;
        }

        var power = char.ToUpperInvariant(unit[0]) switch
        {
            'K' => 10,
            'M' => 20,
            'G' => 30,
            'T' => 40,
            _ => 0,
        };
        var suffix = unit[1..];
        var suffixOk = suffix.IsEmpty
            || suffix.Equals("B", StringComparison.OrdinalIgnoreCase)
            || suffix.Equals("iB", StringComparison.OrdinalIgnoreCase);
        return power == 0 || !suffixOk ? 0 : Math.Pow(2, power);
    }
}
