namespace WorkerNode.Scheduler;

/// <summary>
/// Deadline arithmetic that saturates instead of throwing: a scheduler variable (PBS_WALLTIME in the
/// trillions of seconds, say) or a margin must never crash the worker with an overflow; a deadline
/// past the end of the calendar is as good as none.
/// </summary>
internal static class ClockArithmetic
{
    /// <summary><paramref name="time"/> + <paramref name="span"/>, clamped to the range of <see cref="DateTimeOffset"/>.</summary>
    public static DateTimeOffset Add(DateTimeOffset time, TimeSpan span)
    {
        // In UTC, so that the bounds checked are the ones DateTimeOffset enforces whatever the offset.
        time = time.ToUniversalTime();
        var ticks = time.UtcTicks;
        if (span > TimeSpan.Zero && span.Ticks > DateTimeOffset.MaxValue.UtcTicks - ticks)
        {
            return DateTimeOffset.MaxValue;
        }

        if (span < TimeSpan.Zero && span.Ticks < DateTimeOffset.MinValue.UtcTicks - ticks)
        {
            return DateTimeOffset.MinValue;
        }

        return time + span;
    }

    /// <summary><paramref name="time"/> − <paramref name="span"/>, clamped likewise.</summary>
    public static DateTimeOffset Subtract(DateTimeOffset time, TimeSpan span) =>
        span == TimeSpan.MinValue ? DateTimeOffset.MaxValue : Add(time, span.Negate());
}
