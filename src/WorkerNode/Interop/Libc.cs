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

    /// <summary>
    /// memfd_create(2) as the raw system call: glibc wraps it only from 2.27, and the worker runs
    /// on glibc 2.17 (the kernel call exists since Linux 3.17).
    /// </summary>
    internal static int memfd_create(byte* name, uint flags) =>
        (int)syscall(LibcConstants.SysMemfdCreate, (nint)name, (nint)flags);

    // Variadic in C; x86-64 and aarch64 Linux pass integer varargs as ordinary arguments.
    [LibraryImport(Library, SetLastError = true)]
    private static partial long syscall(long number, nint argument1, nint argument2);

    /// <summary>
    /// getdents64(2) as the raw system call: glibc wraps it only from 2.30, and the worker runs on glibc 2.17
    /// (the kernel call exists since Linux 2.4).
    /// </summary>
    internal static long getdents64(int fd, byte* buffer, int size) =>
        syscall3(LibcConstants.SysGetdents64, fd, (nint)buffer, size);

    [LibraryImport(Library, EntryPoint = "syscall", SetLastError = true)]
    private static partial long syscall3(long number, nint argument1, nint argument2, nint argument3);

    [LibraryImport(Library, SetLastError = true)]
    internal static partial int unlink(byte* path);

    [LibraryImport(Library, SetLastError = true)]
    internal static partial int mkdir(byte* path, uint mode);

    [LibraryImport(Library, SetLastError = true)]
    internal static partial int flock(int fd, int operation);

    // --- identity and file status ---

    [LibraryImport(Library)]
    internal static partial uint geteuid();

    [LibraryImport(Library, SetLastError = true)]
    internal static partial int access(byte* path, int mode);

    // statx through syscall(2): glibc's own stat wrappers changed symbols in 2.33 and statx() needs
    // 2.28, but the syscall exists on every kernel this runs on (4.11+) and syscall() in every glibc.
    [LibraryImport(Library, EntryPoint = "syscall", SetLastError = true)]
    internal static partial long syscall_statx(long number, int directoryFd, byte* path, int flags, uint mask, void* buffer);
}
