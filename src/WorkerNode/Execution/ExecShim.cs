using System.Globalization;
using WorkerNode.Interop;

namespace WorkerNode.Execution;

/// <summary>
/// The embedded exec shim (ExecShim/exec-shim.c), loaded into a memfd so that it can be executed
/// without writing anything to disk. Spawning "shim PARENT SIGKILL PATH ARGV..." instead of PATH
/// puts a parent-death signal on the command's whole process group, which posix_spawn alone
/// cannot do: the shim runs the command as its child, passes on its exit status, and kills the
/// group should the worker die.
/// </summary>
internal sealed class ExecShim : IDisposable
{
    private readonly int _descriptor;

    private ExecShim(int descriptor)
    {
        _descriptor = descriptor;
        ExecutablePath = $"/proc/self/fd/{descriptor}";
    }

    /// <summary>A path execve accepts for the in-memory shim.</summary>
    public string ExecutablePath { get; }

    /// <summary>The loaded shim, or null with the reason when this system refuses memfds.</summary>
    public static ExecShim? TryLoad(out string? failure)
    {
        var descriptor = FileDescriptors.CreateMemoryFile("worker-node-exec-shim", ExecShimImage.Bytes);
        if (descriptor < 0)
        {
            failure = "memfd_create: " + Errno.Describe(Errno.Last);
            return null;
        }

        failure = null;
        return new ExecShim(descriptor);
    }

    /// <summary>Closes the memfd: once the command is spawned the worker needs it no more.</summary>
    public void Dispose() => FileDescriptors.Close(_descriptor);

    /// <summary>The argv that makes the shim arm the parent-death signal, then run <paramref name="argv"/> as its child.</summary>
    public IReadOnlyList<string> Wrap(int parentPid, int deathSignal, string path, IReadOnlyList<string> argv)
    {
        var wrapped = new List<string>(argv.Count + 4)
        {
            "worker-node-exec",
            parentPid.ToString(CultureInfo.InvariantCulture),
            deathSignal.ToString(CultureInfo.InvariantCulture),
            path,
        };
        wrapped.AddRange(argv);
        return wrapped;
    }
}
