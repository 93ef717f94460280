using System.Runtime.InteropServices;

namespace WorkerNode.Interop;

/// <summary>struct rusage on 64-bit Linux: CPU times, peak RSS (KiB) and block I/O counts.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct Rusage
{
    public long UserSeconds;
    public long UserMicroseconds;
    public long SystemSeconds;
    public long SystemMicroseconds;
    public long MaxRssKiB;
    public long IxRss;
    public long IdRss;
    public long IsRss;
    public long MinorFaults;
    public long MajorFaults;
    public long Swaps;
    public long BlocksIn;
    public long BlocksOut;
    public long MessagesSent;
    public long MessagesReceived;
    public long Signals;
    public long VoluntarySwitches;
    public long InvoluntarySwitches;

    public readonly TimeSpan UserTime => TimeSpan.FromSeconds(UserSeconds + (UserMicroseconds / 1e6));

    public readonly TimeSpan SystemTime => TimeSpan.FromSeconds(SystemSeconds + (SystemMicroseconds / 1e6));
}
