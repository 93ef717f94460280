using System.Text;

namespace WorkerNode.Interop;

/// <summary>
/// Runs a scheduler's client (scontrol, qstat, ...) and captures what it prints, within a time bound.
/// Not System.Diagnostics.Process: the worker's reaper waits for any child (wait4(-1)), and Process
/// fails fast when a child it started is reaped by someone else. The client is posix_spawned instead
/// and left to that reaper; only its output is read here, and it is killed when it overstays.
/// </summary>
internal static class CapturedRun
{
    private const int MaxOutputBytes = 256 * 1024;

    /// <summary>The client's stdout and stderr, or null when it could not be started or did not finish within <paramref name="timeout"/>.</summary>
    /// <param name="path">What to spawn: the client, or the exec shim that runs it with a parent-death signal.</param>
    /// <param name="argv">Its argv.</param>
    /// <param name="environment">Its environment.</param>
    /// <param name="timeout">How long it may take; then its process group (it leads one) is killed.</param>
    /// <param name="spawn">Records the pid as the worker's own child (see Execution.OwnChildren), under its lock.</param>
    /// <param name="cancellationToken">Kills it and returns null.</param>
    internal static async Task<string?> RunAsync(string path, IReadOnlyList<string> argv, IReadOnlyList<string> environment, TimeSpan timeout, Func<Func<int>, int> spawn, CancellationToken cancellationToken)
    {
        var (read, write) = FileDescriptors.CreatePipe();
        int pid;
        try
        {
            pid = spawn(() => PosixSpawn.Spawn(path, argv, environment, stdinFromDevNull: true, write, write));
        }
        catch (System.ComponentModel.Win32Exception)
        {
            FileDescriptors.Close(read);
            return null;
        }
        finally
        {
            FileDescriptors.Close(write);
        }

        // A blocking read on a thread of its own: end of file comes when the client exits (or is killed).
        var output = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        new Thread(() => output.TrySetResult(ReadAll(read))) { IsBackground = true, Name = "scheduler-query" }.Start();
        try
        {
            return await output.Task.WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is TimeoutException or OperationCanceledException)
        {
            // The whole group: under the exec shim the client is the shim's child, in the group the spawn made.
            ProcessControl.TrySignalGroup(pid, Signals.Kill);
            ProcessControl.TrySignal(pid, Signals.Kill);
            return null;
        }
    }

    private static string ReadAll(int fd)
    {
        var buffer = new byte[8192];
        using var text = new MemoryStream();
        try
        {
            while (true)
            {
                var count = FileDescriptors.Read(fd, buffer);
                if (count <= 0)
                {
                    break;
                }

                if (text.Length < MaxOutputBytes)
                {
                    text.Write(buffer, 0, (int)count);
                }
            }
        }
        finally
        {
            FileDescriptors.Close(fd);
        }

        return Encoding.UTF8.GetString(text.GetBuffer(), 0, (int)text.Length);
    }
}
