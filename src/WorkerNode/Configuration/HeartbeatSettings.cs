namespace WorkerNode.Configuration;

/// <summary>The <c>heartbeat</c> section.</summary>
public sealed record HeartbeatSettings
{
    /// <summary>Time between heartbeats (log_report_by) while the command runs.</summary>
    public TimeSpan Interval { get; init; } = TimeSpan.FromSeconds(90);

    /// <summary>How many intervals the server waits for the next heartbeat before giving up.</summary>
    public double ReportByBuffer { get; init; } = 3.1;

    /// <summary>Seconds the server waits for the next heartbeat: interval × buffer (279 by default).</summary>
    public double NextReportIncrementSeconds => Interval.TotalSeconds * ReportByBuffer;
}
