using WorkerNode.Harness.Worker;

namespace WorkerNode.Harness.Faults;

/// <summary>The admin body that arms a fault; see the harness README for what each mode needs.</summary>
public sealed record FaultRequest(
    FaultMode? Mode,
    string? Route = null,
    int? Count = null,
    double? Seconds = null,
    int? StatusCode = null)
{
    /// <summary>What is wrong with this request, or null when it can be armed.</summary>
    public string? Problem() => Mode switch
    {
        null => "mode is required (status, delay, reset, malformed, wrong_shape, oversized or down)",
        FaultMode.Down => Seconds is > 0 ? null : "down needs seconds > 0",
        _ when !WorkerRouteTable.IsFaultTarget(Route) =>
            $"route must be one of: {string.Join(", ", WorkerRouteTable.All.Select(route => route.Name))} or *",
        _ when Count is < 1 => "count must be at least 1",
        FaultMode.Delay when Seconds is not > 0 => "delay needs seconds > 0",
        FaultMode.Status when StatusCode is < 100 or > 599 => "status_code must be between 100 and 599",
        _ => null,
    };
}
