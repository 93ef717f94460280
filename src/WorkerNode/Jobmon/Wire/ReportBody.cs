namespace WorkerNode.Jobmon.Wire;

/// <summary>
/// What heartbeats and final reports share: the output paths, the distributor id, and the usage
/// columns (ours) at the top level of the body, each usage field left out when unknown. The real
/// server ignores fields it does not know.
/// </summary>
internal abstract record ReportBody
{
    protected ReportBody(string stdout, string stderr, string? distributorId, UsageFields? usage)
    {
        Stdout = stdout;
        Stderr = stderr;
        DistributorId = distributorId;
        Wallclock = usage?.Wallclock;
        Maxrss = usage?.Maxrss;
        Maxpss = usage?.Maxpss;
        Cpu = usage?.Cpu;
        Io = usage?.Io;
        UsageStr = usage?.UsageStr;
    }

    public string Stdout { get; }

    public string Stderr { get; }

    public string? DistributorId { get; }

    public string? Wallclock { get; }

    public string? Maxrss { get; }

    public string? Maxpss { get; }

    public string? Cpu { get; }

    public string? Io { get; }

    public string? UsageStr { get; }
}
