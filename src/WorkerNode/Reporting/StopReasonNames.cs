using WorkerNode.Execution;

namespace WorkerNode.Reporting;

/// <summary>The snake_case names of stop reasons used in reports and logs ("memory_limit").</summary>
public static class StopReasonNames
{
    public static string? Of(StopReason? reason) => reason switch
    {
        null => null,
        StopReason.KillSelf => "kill_self",
        StopReason.ServerGaveUp => "server_gave_up",
        StopReason.LostServer => "lost_server",
        StopReason.OutsideSignal => "outside_signal",
        StopReason.MemoryLimit => "memory_limit",
        StopReason.TimeLimit => "time_limit",
        _ => reason.ToString(),
    };
}
