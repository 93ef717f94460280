using WorkerNode.Configuration;

namespace WorkerNode.Scheduler;

/// <summary>
/// How long before the allocation's end the worker stops the command: worker_node.time_margin (60 s by
/// default) for long jobs, a tenth of a short one's time limit, but never less than what the graceful
/// stop and the report need (15 s, or a quarter of the limit when that is shorter). A fixed 60 s would
/// take half of a 2-minute job.
/// </summary>
public static class TimeMargin
{
    private static readonly TimeSpan StopAndReport = TimeSpan.FromSeconds(15);

    /// <param name="granted">The time limit as granted; null when unknown (the configured margin is used).</param>
    /// <param name="configured">worker_node.time_margin: the most ever taken.</param>
    public static TimeSpan For(TimeSpan? granted, TimeSpan configured)
    {
        if (granted is not { } limit || limit <= TimeSpan.Zero)
        {
            return configured;
        }

        var floor = limit / 4 < StopAndReport ? limit / 4 : StopAndReport;
        var margin = limit / 10 > floor ? limit / 10 : floor;
        margin = margin < configured ? margin : configured;
        return TimeSpan.FromSeconds(Math.Ceiling(margin.TotalSeconds));
    }

    /// <summary>" minus 15 s margin" (DisplayFormat), or nothing for a zero margin.</summary>
    public static string Text(TimeSpan margin) => margin > TimeSpan.Zero ? $" minus {DisplayFormat.Duration(margin)} margin" : string.Empty;
}
