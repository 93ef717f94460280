using System.Runtime.InteropServices;

namespace WorkerNode.Interop;

/// <summary>
/// Every libc entry point the worker calls, and nothing else does. Signatures are x86-64 / aarch64
/// Linux glibc. Callers check results through <see cref="Errno"/>; nothing here throws.
/// </summary>
internal static unsafe partial class Libc
{
    private const string Library = "libc.so.6";

    // --- process creation (posix_spawn: glibc's vfork-based spawn, safe from a multi-threaded runtime) ---

    [LibraryImport(Library)]
    internal static partial int posix_spawn(int* pid, byte* path, void* fileActions, void* attributes, byte** argv, byte** envp);

    [LibraryImport(Library)]
    internal static partial int posix_spawn_file_actions_init(void* fileActions);

    [LibraryImport(Library)]
    internal static partial int posix_spawn_file_actions_destroy(void* fileActions);

    [LibraryImport(Library)]
    internal static partial int posix_spawn_file_actions_adddup2(void* fileActions, int fd, int newFd);

    [LibraryImport(Library)]
    internal static partial int posix_spawn_file_actions_addopen(void* fileActions, int fd, byte* path, int flags, uint mode);

    [LibraryImport(Library)]
    internal static partial int posix_spawnattr_init(void* attributes);

    [LibraryImport(Library)]
    internal static partial int posix_spawnattr_destroy(void* attributes);

    [LibraryImport(Library)]
    internal static partial int posix_spawnattr_setflags(void* attributes, short flags);

    [LibraryImport(Library)]
    internal static partial int posix_spawnattr_setsigmask(void* attributes, void* sigset);

    [LibraryImport(Library)]
    internal static partial int posix_spawnattr_setsigdefault(void* attributes, void* sigset);

    [LibraryImport(Library)]
    internal static partial int sigemptyset(void* sigset);

    [LibraryImport(Library)]
    internal static partial int sigaddset(void* sigset, int signal);

    // --- waiting, signals, process control ---

    [LibraryImport(Library, SetLastError = true)]
    internal static partial int wait4(int pid, int* status, int options, Rusage* usage);

    [LibraryImport(Library, SetLastError = true)]
    internal static partial int waitid(int idType, uint id, void* info, int options);

    [LibraryImport(Library, SetLastError = true)]
    internal static partial int kill(int pid, int signal);

    [LibraryImport(Library, SetLastError = true)]
    internal static partial int prctl(int option, nuint arg2, nuint arg3, nuint arg4, nuint arg5);

    [LibraryImport(Library, SetLastError = true)]
    internal static partial int getrusage(int who, Rusage* usage);

    [LibraryImport(Library, SetLastError = true)]
    internal static partial int sigaction(int signal, void* action, void* oldAction);

    [LibraryImport(Library, SetLastError = true)]
    internal static partial nint signal(int signal, nint handler);

    [LibraryImport(Library)]
    internal static partial long sysconf(int name);

    [LibraryImport(Library, SetLastError = true)]
    internal static partial int setrlimit(int resource, ulong* limits);

    [LibraryImport(Library)]
    internal static partial int pthread_sigmask(int how, void* set, void* oldSet);

    [LibraryImport(Library, SetLastError = true)]
    internal static partial int raise(int signal);

    // --- file descriptors ---

    [LibraryImport(Library, SetLastError = true)]
    internal static partial int pipe2(int* fds, int flags);

    [LibraryImport(Library, SetLastError = true)]
    internal static partial int close(int fd);

    [LibraryImport(Library, SetLastError = true)]
    internal static partial nint read(int fd, byte* buffer, nint count);

    [LibraryImport(Library, SetLastError = true)]
    internal static partial nint write(int fd, byte* buffer, nint count);

    [LibraryImport(Library, SetLastError = true)]
    internal static partial int fcntl(int fd, int command, int argument);

    [LibraryImport(Library, SetLastError = true)]
    internal static partial int open(byte* path, int flags, uint mode);

    [LibraryImport(Library, SetLastError = true)]
    internal static partial int memfd_create(byte* name, uint flags);
}
