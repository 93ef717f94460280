using System.Globalization;
using WorkerNode.Configuration;

namespace WorkerNode.Reporting.WorkflowReport;

/// <summary>
/// Right-sizing hints per template: the 99th percentile (nearest rank) of the runs' peak memory and wall time, plus
/// 25 % headroom, rounded up to a request a person would type (100 MiB steps, 1 GiB steps from 10 GiB; whole
/// minutes). Few runs make a weak percentile: with fewer than 100 runs it is simply the largest.
/// </summary>
public static class RightSizing
{
    public const double Headroom = 1.25;

    private const long MiB = 1L << 20;
    private const long GiB = 1L << 30;

    public static IReadOnlyList<SizingHint> Hints(IEnumerable<TaskSummary> tasks)
    {
        ArgumentNullException.ThrowIfNull(tasks);
        var hints = new List<SizingHint>();
        foreach (var group in tasks.GroupBy(task => task.Template, StringComparer.Ordinal).OrderBy(group => group.Key, StringComparer.Ordinal))
        {
            var runs = group.ToList();
            var peaks = runs.Select(run => run.PeakMemoryBytes).Order().ToArray();
            var walls = runs.Select(run => run.Header.WallSeconds).Order().ToArray();
            var p99Memory = Percentile(peaks, 0.99);
            var p99Wall = Percentile(walls, 0.99);
            var requestedMemory = runs.Max(run => run.Header.RequestedMemoryBytes);
            var memoryLimit = runs.Max(run => run.Header.MemoryLimitBytes);
            var requestedTime = runs.Max(run => run.Header.RequestedTimeSeconds ?? run.Header.TimeLimitSeconds);
            hints.Add(new SizingHint(
                group.Key,
                runs.Count,
                requestedMemory,
                memoryLimit,
                peaks[^1],
                p99Memory,
                RoundUpMemory((long)Math.Ceiling(p99Memory * Headroom)),
                requestedTime,
                p99Wall,
                Math.Max(60, Math.Ceiling(p99Wall * Headroom / 60) * 60),
                runs.Count(run => run.Header.Status is "memory_limit" or "time_limit")));
        }

        return hints;
    }

    /// <summary>
    /// E.g. <c>requested 4.00 GiB, peak 610.00 MiB over 40 runs → 800 MiB covers the 99th percentile (610.00 MiB) with 25 % headroom</c>.
    /// </summary>
    public static string MemorySentence(SizingHint hint)
    {
        ArgumentNullException.ThrowIfNull(hint);
        var requested = hint.RequestedMemoryBytes is { } bytes
            ? $"requested {DisplayFormat.Size(bytes)}, "
            : hint.MemoryLimitBytes is { } limit ? $"no request recorded (limit {DisplayFormat.Size(limit)}), " : "no request recorded, ";
        var runs = hint.Runs == 1 ? "1 run" : $"{hint.Runs} runs";
        var stopped = hint.StoppedAtLimit switch
        {
            0 => string.Empty,
            1 => "; 1 run was stopped at a limit, so its peak is only a lower bound",
            var count => $"; {count} runs were stopped at a limit, so their peaks are only lower bounds",
        };
        return $"{requested}peak {DisplayFormat.Size(hint.PeakMemoryBytes)} over {runs} → {Request(hint.SuggestedMemoryBytes)} covers the 99th percentile ({DisplayFormat.Size(hint.P99MemoryBytes)}) with 25 % headroom{stopped}";
    }

    /// <summary>E.g. <c>time: requested 02:00:00, 99th percentile 00:12:30 → 00:16:00</c>.</summary>
    public static string TimeSentence(SizingHint hint)
    {
        ArgumentNullException.ThrowIfNull(hint);
        var requested = hint.RequestedTimeSeconds is { } seconds ? $"requested {DisplayFormat.Duration(Whole(seconds))}, " : string.Empty;
        return $"time: {requested}99th percentile {DisplayFormat.Duration(Whole(hint.P99WallSeconds))} → {DisplayFormat.Duration(Whole(hint.SuggestedTimeSeconds))}";
    }

    /// <summary>Nearest rank: the smallest value with at least <paramref name="fraction"/> of the values at or below it.</summary>
    public static T Percentile<T>(IReadOnlyList<T> sorted, double fraction)
    {
        ArgumentNullException.ThrowIfNull(sorted);
        if (sorted.Count == 0)
        {
            throw new ArgumentException("no values", nameof(sorted));
        }

        var rank = (int)Math.Ceiling(fraction * sorted.Count);
        return sorted[Math.Clamp(rank, 1, sorted.Count) - 1];
    }

    /// <summary>Up to the next 100 MiB below 10 GiB, the next GiB from there; at least 100 MiB.</summary>
    public static long RoundUpMemory(long bytes)
    {
        var step = bytes >= 10 * GiB ? GiB : 100 * MiB;
        return Math.Max(step, (bytes + step - 1) / step * step);
    }

    /// <summary>"800 MiB", "12 GiB": a request as people write it.</summary>
    public static string Request(long bytes) => bytes % GiB == 0
        ? string.Create(CultureInfo.InvariantCulture, $"{bytes / GiB} GiB")
        : string.Create(CultureInfo.InvariantCulture, $"{bytes / MiB} MiB");

    private static TimeSpan Whole(double seconds) => TimeSpan.FromSeconds(Math.Round(Math.Min(seconds, TimeSpan.MaxValue.TotalSeconds / 2)));
}
