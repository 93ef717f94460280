using System.Runtime.InteropServices;

namespace WorkerNode.IntegrationTests.Logging;

/// <summary>
/// A pipe that this test process holds open for reading but never reads, shrunk to one page and filled: what
/// Jobmon's multiprocess distributor gives its workers as stderr, once earlier writers have filled it. A child reaches it through
/// /proc/PID/fd/N, which opens the same pipe.
/// </summary>
internal sealed partial class UnreadPipe : IDisposable
{
    private const int OCloExec = 0x80000;
    private const int FSetPipeSize = 1031;
    private const int FGetPipeSize = 1032;

    public UnreadPipe()
    {
        var fds = new int[2];
        if (pipe2(fds, OCloExec) != 0)
        {
            throw new InvalidOperationException($"pipe2 failed: errno {Marshal.GetLastPInvokeError()}");
        }

        (ReadEnd, WriteEnd) = (fds[0], fds[1]);
        _ = fcntl(WriteEnd, FSetPipeSize, 4096);
        Capacity = fcntl(WriteEnd, FGetPipeSize, 0);

        // Full before the worker starts: its very first line would block, whatever it logs.
        var filler = new byte[Capacity];
        Array.Fill(filler, (byte)'#');
        if (write(WriteEnd, filler, Capacity) != Capacity)
        {
            throw new InvalidOperationException($"could not fill the pipe: errno {Marshal.GetLastPInvokeError()}");
        }
    }

    public int ReadEnd { get; }

    public int WriteEnd { get; }

    /// <summary>The pipe's buffer in bytes (one page once shrunk).</summary>
    public int Capacity { get; }

    /// <summary>The path a child opens to write into this pipe.</summary>
    public string WritePath => $"/proc/{Environment.ProcessId}/fd/{WriteEnd}";

    public void Dispose()
    {
        _ = close(ReadEnd);
        _ = close(WriteEnd);
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial int pipe2([Out] int[] fds, int flags);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int fcntl(int fd, int command, int argument);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int close(int fd);

    [LibraryImport("libc", SetLastError = true)]
    private static partial nint write(int fd, [In] byte[] buffer, nint count);
}
