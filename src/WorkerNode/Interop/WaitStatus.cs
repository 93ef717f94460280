namespace WorkerNode.Interop;

/// <summary>A decoded wait status: an exit code, or the signal that killed the process.</summary>
internal readonly record struct WaitStatus(int? ExitCode, int? TermSignal)
{
    internal static WaitStatus Decode(int raw)
    {
        var low = raw & 0x7f;
        return low == 0 ? new WaitStatus((raw >> 8) & 0xff, null) : new WaitStatus(null, low);
    }
}
