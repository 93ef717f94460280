using WorkerNode.Cli;
using WorkerNode.Configuration;
using WorkerNode.Jobmon;
using WorkerNode.Logging;
using WorkerNode.Reporting;

namespace WorkerNode.Lifecycle;

/// <summary>
/// <c>worker-node spool flush</c>: delivers every spooled report, each to the server recorded in its
/// file, with this invocation's retry budget, token and CA bundle. Exits 0 when nothing it looked at
/// is left undelivered, 199 when some reports are kept or were rejected (or another flush on this node
/// held the spool for longer than <paramref name="lockWait"/>), 198 when the directory is unusable.
/// </summary>
/// <remarks>
/// It takes the node's flush lock (<see cref="SpoolDirectory.TryLockFlush(out string?)"/>), the one a worker's
/// start-up flush takes: the claim of each file (a rename) already keeps two flushers from sending one file at
/// once, but a flusher that releases a file (its send timed out, its server did not answer) makes it pending
/// again while the other is still at work, and the other then finds it "taken" or resends a report whose first
/// send may yet land. One flusher per node and user at a time: the second waits for the first to end.
/// </remarks>
public sealed class SpoolFlushRun(string directory, WorkerSettings settings, WorkerLog log, TimeProvider time, TimeSpan lockWait)
{
    /// <summary>
    /// How long <c>spool flush</c> waits by default for another flush of the spool on this node: well past a
    /// worker's start-up flush (<see cref="BackgroundSpoolFlush.Budget"/>, plus a send in flight at its end).
    /// </summary>
    public static readonly TimeSpan DefaultLockWait = TimeSpan.FromSeconds(30);

    /// <summary>How often a waiting flush tries the lock again: flock has no timed wait, and a blocking one could not be cancelled.</summary>
    private static readonly TimeSpan LockPoll = TimeSpan.FromMilliseconds(100);

    public async Task<int> ExecuteAsync(CancellationToken cancellationToken)
    {
        if (File.Exists(directory))
        {
            log.Error($"the spool directory {directory} is a file, not a directory");
            return ExitCodes.Environment;
        }

        var spool = new SpoolDirectory(directory, time);
        IDisposable? nodeLock = null;

        // One client per server and cluster, built when a report first needs it.
        var clients = new Dictionary<(ReportDestination Server, string ClusterName), JobmonClient>();
        try
        {
            // No directory, nothing to flush (and nowhere to put the lock): the flush below finds no file.
            if (spool.Exists)
            {
                var (taken, exitCode) = await LockAsync(spool, cancellationToken).ConfigureAwait(false);
                if (taken is null)
                {
                    return exitCode;
                }

                nodeLock = taken;
            }

            var flusher = new SpoolFlusher(spool, report => ClientFor(report, clients), log, time);
            var result = await flusher.FlushAsync(int.MaxValue, cancellationToken).ConfigureAwait(false);
            log.Info($"flush of the spool {directory} finished", result.ToLogFields());
            return result.Complete ? 0 : ExitCodes.WorkerFailed;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            log.Error($"cannot read the spool directory {directory}: {exception.Message}");
            return ExitCodes.Environment;
        }
        finally
        {
            nodeLock?.Dispose();
            foreach (var client in clients.Values)
            {
                client.Dispose();
            }
        }
    }

    /// <summary>The node's flush lock, waited for up to <c>lockWait</c>; or null and the exit status.</summary>
    private async Task<(IDisposable? Lock, int ExitCode)> LockAsync(SpoolDirectory spool, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        var announced = false;
        while (true)
        {
            if (spool.TryLockFlush(out var unusable) is { } taken)
            {
                if (announced)
                {
                    log.Info("the other flush has ended; flushing", ("spool_dir", spool.Path), ("waited", DisplayFormat.Duration(time.GetElapsedTime(started))));
                }

                return (taken, 0);
            }

            if (unusable is not null)
            {
                log.Error($"cannot flush the spool {spool.Path}: {unusable}");
                return (null, ExitCodes.Environment);
            }

            var waited = time.GetElapsedTime(started);
            if (waited >= lockWait)
            {
                log.Error(
                    $"another flush of the spool {spool.Path} is still running on this node (a worker's start-up flush or another 'spool flush'), after waiting {DisplayFormat.Duration(lockWait)}; nothing was sent: run 'spool flush' again later",
                    ("lock", spool.FlushLockPath));
                return (null, ExitCodes.WorkerFailed);
            }

            if (!announced)
            {
                announced = true;
                log.Info(
                    $"another flush of the spool {spool.Path} is running on this node (a worker's start-up flush or another 'spool flush'); waiting up to {DisplayFormat.Duration(lockWait)} for it to end",
                    ("lock", spool.FlushLockPath));
            }

            var pause = lockWait - waited < LockPoll ? lockWait - waited : LockPoll;
            try
            {
                await Task.Delay(pause, time, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                log.Warning("interrupted while waiting for another flush of the spool; nothing was sent", ("spool_dir", spool.Path));
                return (null, ExitCodes.WorkerFailed);
            }
        }
    }

    private JobmonClient ClientFor(SpooledReport report, Dictionary<(ReportDestination, string), JobmonClient> clients)
    {
        var key = (report.Server, report.ClusterName);
        if (!clients.TryGetValue(key, out var client))
        {
            var http = settings.Http with { ServiceUrl = new Uri(report.Server.ServiceUrl), RoutePrefix = report.Server.RoutePrefix };
            client = JobmonClientFactory.Create(http, settings.Heartbeat, report.Server.ExpectedJobmonVersion, report.ClusterName, log, time);
            clients[key] = client;
        }

        return client;
    }
}
