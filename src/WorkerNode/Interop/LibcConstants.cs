namespace WorkerNode.Interop;

/// <summary>Linux / glibc constants for the calls in <see cref="Libc"/> (x86-64 and aarch64 agree on these).</summary>
internal static class LibcConstants
{
    // posix_spawnattr_setflags
    internal const short PosixSpawnSetSigDef = 0x04;
    internal const short PosixSpawnSetSigMask = 0x08;
    internal const short PosixSpawnSetSid = 0x80;

    // open / pipe2
    internal const int ORdOnly = 0;
    internal const int OWrOnly = 1;
    internal const int OCreat = 0x40;
    internal const int OAppend = 0x400;
    internal const int OCloExec = 0x80000;
    internal const int OExcl = 0x80;

    /// <summary>O_NOFOLLOW: the one open flag used here whose value differs between x86-64 and aarch64.</summary>
    internal static int ONoFollow => System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture == System.Runtime.InteropServices.Architecture.Arm64 ? 0x8000 : 0x20000;

    /// <summary>O_DIRECTORY: like O_NOFOLLOW, it differs between x86-64 and aarch64.</summary>
    internal static int ODirectory => System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture == System.Runtime.InteropServices.Architecture.Arm64 ? 0x4000 : 0x10000;

    /// <summary>The getdents64 syscall's number (x86-64: 217; aarch64 and the generic table: 61).</summary>
    internal static long SysGetdents64 => System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture == System.Runtime.InteropServices.Architecture.X64 ? 217 : 61;

    // statx
    internal const int AtFdCwd = -100;
    internal const int AtSymlinkNoFollow = 0x100;
    internal const int AtEmptyPath = 0x1000;
    internal const uint StatxBasicStats = 0x7ff;
    internal const int StatxBytes = 256;

    /// <summary>The statx syscall's number.</summary>
    internal static long SysStatx => System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture == System.Runtime.InteropServices.Architecture.Arm64 ? 291 : 332;

    // flock
    internal const int LockExclusive = 2;
    internal const int LockNonBlocking = 4;

    // wait4 / waitid
    internal const int WAll = 0x40000000;
    internal const int WNoHang = 0x1;
    internal const int WExited = 0x4;
    internal const int WNoWait = 0x01000000;
    internal const int PAll = 0;
    internal const int SigInfoBytes = 128;

    // prctl
    internal const int PrSetChildSubreaper = 36;

    // fcntl
    internal const int FGetFd = 1;
    internal const int FSetPipeSize = 1031;

    // getrusage
    internal const int RusageChildren = -1;

    // sysconf
    internal const int ScClockTicks = 2;
    internal const int ScPageSize = 30;

    // memfd_create: its system call number (x86-64: 319; aarch64 and the generic table: 279)
    internal static readonly long SysMemfdCreate =
        System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture == System.Runtime.InteropServices.Architecture.X64 ? 319 : 279;
    internal const uint MfdCloExec = 0x1;
    internal const uint MfdExec = 0x10;

    // signal()
    internal const nint SigDfl = 0;
    internal const int SigUnblock = 1;
    internal const int RlimitCore = 4;
    internal const nint SigIgn = 1;

    // errno
    internal const int EIntr = 4;
    internal const int EChild = 10;
    internal const int EInval = 22;
    internal const int EPipe = 32;
    internal const int ENoEnt = 2;
    internal const int E2Big = 7;
    internal const int EAcces = 13;
    internal const int EExist = 17;
    internal const int ENotDir = 20;
    internal const int EIsDir = 21;
    internal const int ELoop = 40;

    /// <summary>Size of glibc's posix_spawnattr_t (336) and file_actions (80), rounded up generously.</summary>
    internal const int SpawnStructBytes = 1024;

    /// <summary>Size of glibc's sigset_t.</summary>
    internal const int SigSetBytes = 128;

    /// <summary>Size of glibc's struct sigaction on 64-bit Linux, rounded up.</summary>
    internal const int SigActionBytes = 256;
}
