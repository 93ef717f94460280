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
    internal static async Task<string?> RunAsync(string path, IReadOnlyList<string> argv, IReadOnlyList<string> environment, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var (read, write) = FileDescriptors.CreatePipe();
        int pid;
        try
        {
            pid = PosixSpawn.Spawn(path, argv, environment, stdinFromDevNull: true, write, write);
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
