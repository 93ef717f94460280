using System.Runtime.InteropServices;

namespace WorkerNode.IntegrationTests.Infrastructure;

/// <summary>Sends real signals to processes under test.</summary>
public static partial class UnixSignals
{
    public const int Hup = 1;
    public const int Int = 2;
    public const int Kill = 9;
    public const int Usr1 = 10;
    public const int Term = 15;

    public static void Send(int pid, int signal)
    {
        if (kill(pid, signal) != 0)
        {
            throw new InvalidOperationException($"kill({pid}, {signal}) failed: errno {Marshal.GetLastPInvokeError()}");
        }
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial int kill(int pid, int signal);
}
