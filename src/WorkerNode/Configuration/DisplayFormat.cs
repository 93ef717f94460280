using System.Globalization;

namespace WorkerNode.Configuration;

/// <summary>Formats sizes, durations and fractions for user-facing messages (<c>2.00 GiB</c>, <c>1-02:00:00</c>, <c>5%</c>).</summary>
public static class DisplayFormat
{
    private static readonly string[] Units = ["KiB", "MiB", "GiB", "TiB", "PiB", "EiB"];

    /// <summary>Bytes in the largest binary unit that keeps the number at 1 or more: <c>512.00 MiB</c>, <c>2.00 GiB</c>.</summary>
    public static string Size(long bytes)
    {
        if (bytes < 0)
        {
            return "-" + Size(bytes == long.MinValue ? long.MaxValue : -bytes);
        }

        if (bytes < 1024)
        {
            return bytes.ToString(CultureInfo.InvariantCulture) + " B";
        }

        double value = bytes;
        var unit = -1;
        while (value >= 1024 && unit < Units.Length - 1)
        {
            value /= 1024;
            unit++;
        }

        return value.ToString("F2", CultureInfo.InvariantCulture) + " " + Units[unit];
    }

    /// <summary>
    /// A duration as Slurm prints one: <c>00:30:00</c>, and <c>1-02:00:00</c> from one day up; milliseconds are
    /// shown only when there are some (<c>00:00:00.500</c>).
    /// </summary>
    public static string Duration(TimeSpan duration)
    {
        if (duration < TimeSpan.Zero)
        {
            return "-" + Duration(duration == TimeSpan.MinValue ? TimeSpan.MaxValue : duration.Negate());
        }

        var text = duration.Days > 0
            ? string.Create(CultureInfo.InvariantCulture, $"{duration.Days}-{duration.Hours:00}:{duration.Minutes:00}:{duration.Seconds:00}")
            : string.Create(CultureInfo.InvariantCulture, $"{duration.Hours:00}:{duration.Minutes:00}:{duration.Seconds:00}");
        return duration.Ticks % TimeSpan.TicksPerSecond == 0
            ? text
            : text + string.Create(CultureInfo.InvariantCulture, $".{duration.Milliseconds:000}");
    }

    /// <summary>A fraction as a percentage: 0.05 → <c>5%</c>, 0.025 → <c>2.5%</c>.</summary>
    public static string Percent(double fraction) =>
        (fraction * 100).ToString("0.##", CultureInfo.InvariantCulture) + "%";
}
