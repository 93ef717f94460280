using System.Runtime.InteropServices;
using System.Text;

namespace WorkerNode.Interop;

/// <summary>
/// posix_spawn with the attributes a supervised command needs: a new session (so it leads its own
/// process group and the whole group can be signalled), the signal mask cleared, SIGPIPE back to
/// its default (.NET ignores it, and a command must die of it as under a shell), stdin from
/// /dev/null or inherited, stdout and stderr onto the given descriptors.
/// </summary>
internal static unsafe class PosixSpawn
{
    /// <summary>Starts the program; returns its pid or throws with errno (glibc reports exec failures too).</summary>
    internal static int Spawn(string path, IReadOnlyList<string> argv, IReadOnlyList<string> environment, bool stdinFromDevNull, int stdoutFd, int stderrFd)
    {
        var attributes = NativeMemory.AllocZeroed(LibcConstants.SpawnStructBytes);
        var fileActions = NativeMemory.AllocZeroed(LibcConstants.SpawnStructBytes);
        var signals = NativeMemory.AllocZeroed(LibcConstants.SigSetBytes);
        var strings = new List<nint>(argv.Count + environment.Count + 1);
        try
        {
            Check(Libc.posix_spawnattr_init(attributes), "posix_spawnattr_init");
            Check(Libc.posix_spawn_file_actions_init(fileActions), "posix_spawn_file_actions_init");
            Check(
                Libc.posix_spawnattr_setflags(attributes, LibcConstants.PosixSpawnSetSid | LibcConstants.PosixSpawnSetSigMask | LibcConstants.PosixSpawnSetSigDef),
                "posix_spawnattr_setflags");
            Libc.sigemptyset(signals);
            Check(Libc.posix_spawnattr_setsigmask(attributes, signals), "posix_spawnattr_setsigmask");
            Libc.sigaddset(signals, Signals.Pipe);
            Check(Libc.posix_spawnattr_setsigdefault(attributes, signals), "posix_spawnattr_setsigdefault");

            if (stdinFromDevNull)
            {
                fixed (byte* devNull = "/dev/null\0"u8)
                {
                    Check(Libc.posix_spawn_file_actions_addopen(fileActions, 0, devNull, LibcConstants.ORdOnly, 0), "posix_spawn_file_actions_addopen");
                }
            }

            Check(Libc.posix_spawn_file_actions_adddup2(fileActions, stdoutFd, 1), "posix_spawn_file_actions_adddup2");
            Check(Libc.posix_spawn_file_actions_adddup2(fileActions, stderrFd, 2), "posix_spawn_file_actions_adddup2");

            var nativePath = Utf8(path, strings);
            var nativeArgv = NullTerminated(argv, strings);
            var nativeEnvironment = NullTerminated(environment, strings);
            int pid;
            var error = Libc.posix_spawn(&pid, nativePath, fileActions, attributes, nativeArgv, nativeEnvironment);
            if (error != 0)
            {
                throw Errno.Exception(path, error);
            }

            return pid;
        }
        finally
        {
            Libc.posix_spawn_file_actions_destroy(fileActions);
            Libc.posix_spawnattr_destroy(attributes);
            foreach (var pointer in strings)
            {
                NativeMemory.Free((void*)pointer);
            }

            NativeMemory.Free(signals);
            NativeMemory.Free(fileActions);
            NativeMemory.Free(attributes);
        }
    }

    private static void Check(int error, string what)
    {
        if (error != 0)
        {
            throw Errno.Exception(what, error);
        }
    }

    private static byte* Utf8(string text, List<nint> owned)
    {
        var length = Encoding.UTF8.GetByteCount(text);
        var buffer = (byte*)NativeMemory.Alloc((nuint)length + 1);
        Encoding.UTF8.GetBytes(text, new Span<byte>(buffer, length));
        buffer[length] = 0;
        owned.Add((nint)buffer);
        return buffer;
    }

    private static byte** NullTerminated(IReadOnlyList<string> items, List<nint> owned)
    {
        var array = (byte**)NativeMemory.Alloc((nuint)(items.Count + 1), (nuint)sizeof(byte*));
        owned.Add((nint)array);
        for (var i = 0; i < items.Count; i++)
        {
            array[i] = Utf8(items[i], owned);
        }

        array[items.Count] = null;
        return array;
    }
}
