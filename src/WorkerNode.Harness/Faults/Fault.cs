using WorkerNode.Harness.Worker;

namespace WorkerNode.Harness.Faults;

/// <summary>An armed fault and how many times it has fired so far.</summary>
public sealed record Fault(int Id, string Route, FaultMode Mode, int Count, double? Seconds, int? StatusCode, int Fired)
{
    public int Remaining => Count - Fired;

    /// <summary>Normalises a valid request: one firing by default, 503 for <c>status</c>; <c>down</c> fires once, at once.</summary>
    public static Fault From(int id, FaultRequest request) => request.Mode switch
    {
        FaultMode.Down => new(id, WorkerRouteNames.Any, FaultMode.Down, 1, request.Seconds, null, Fired: 1),
        FaultMode.Status => new(id, request.Route!, FaultMode.Status, request.Count ?? 1, null, request.StatusCode ?? 503, 0),
        FaultMode.Delay => new(id, request.Route!, FaultMode.Delay, request.Count ?? 1, request.Seconds, null, 0),
        { } mode => new(id, request.Route!, mode, request.Count ?? 1, null, null, 0),
        null => throw new ArgumentException("a fault needs a mode", nameof(request)),
    };

    /// <summary>True when this fault should spoil the next request of <paramref name="route"/>.</summary>
    public bool Matches(string route) =>
        Remaining > 0 && Mode != FaultMode.Down && (Route == route || Route == WorkerRouteNames.Any);
}
