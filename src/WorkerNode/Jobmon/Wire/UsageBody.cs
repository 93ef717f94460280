namespace WorkerNode.Jobmon.Wire;

/// <summary>
/// The usage columns (ours) that heartbeats and final reports carry at the top level of their
/// bodies; each is left out when unknown. The real server ignores fields it does not know.
/// </summary>
internal abstract record UsageBody
{
    protected UsageBody(UsageFields? usage)
    {
        Wallclock = usage?.Wallclock;
        Maxrss = usage?.Maxrss;
        Maxpss = usage?.Maxpss;
        Cpu = usage?.Cpu;
        Io = usage?.Io;
        UsageStr = usage?.UsageStr;
    }

    public string? Wallclock { get; }

    public string? Maxrss { get; }

    public string? Maxpss { get; }

    public string? Cpu { get; }

    public string? Io { get; }

    public string? UsageStr { get; }
}
