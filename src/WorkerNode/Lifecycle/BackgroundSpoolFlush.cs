using WorkerNode.Execution;
using WorkerNode.Jobmon;
using WorkerNode.Logging;
using WorkerNode.Reporting;

namespace WorkerNode.Lifecycle;

/// <summary>
/// The short flush every server-mode worker starts beside its own work: a few reports meant for
/// its own server, through its own client, for a few seconds at most. It never delays the command
/// (it runs on the thread pool, and finds nothing to do in the usual empty spool), and it holds
/// the worker's exit back by <see cref="ExitWait"/> at most.
/// </summary>
internal sealed class BackgroundSpoolFlush : IAsyncDisposable
{
    /// <summary>How long the flush may run in all.</summary>
    public static readonly TimeSpan Budget = TimeSpan.FromSeconds(5);

    /// <summary>How many reports it sends at most: a worker is not the place to drain a large backlog.</summary>
    public const int MaxSends = 3;

    /// <summary>How long exit waits for it to finish, then again for it to release its claim once cancelled.</summary>
    public static readonly TimeSpan ExitWait = TimeSpan.FromSeconds(1);

    private readonly CancellationTokenSource _stop;
    private readonly Task _flush;

    private BackgroundSpoolFlush(CancellationTokenSource stop, Task flush)
    {
        _stop = stop;
        _flush = flush;
    }

    /// <param name="spool">The spool directory, or null when there is none (nothing is started).</param>
    /// <param name="client">The worker's client, already built for its server.</param>
    /// <param name="server">The worker's server: only reports meant for it are sent.</param>
    /// <param name="log">The worker's log.</param>
    /// <param name="time">The clock of the budget.</param>
    public static BackgroundSpoolFlush Start(SpoolDirectory? spool, IFinalReportSender client, ReportDestination server, WorkerLog log, TimeProvider time)
    {
        var stop = new CancellationTokenSource(Budget, time);
        if (spool is null)
        {
            return new BackgroundSpoolFlush(stop, Task.CompletedTask);
        }

        var flusher = new SpoolFlusher(spool, report => report.Server == server ? client : null, log, time);
        var flush = Task.Run(
            async () =>
            {
                SpoolFlushResult result;
                try
                {
                    result = await flusher.FlushAsync(MaxSends, stop.Token).ConfigureAwait(false);
                }
                catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
                {
                    // Worth a warning: the spool is where this worker's own report goes if the server fails it.
                    log.Warning("cannot read the spool directory", ("spool_dir", spool.Path), ("error", exception.Message));
                    return;
                }

                if (result.Total > 0)
                {
                    log.Info($"background flush of the spool {spool.Path} finished", result.ToLogFields());
                }
            },
            CancellationToken.None);
        return new BackgroundSpoolFlush(stop, flush);
    }

    public async ValueTask DisposeAsync()
    {
        if (!await _flush.CompletesWithinAsync(ExitWait).ConfigureAwait(false))
        {
            await _stop.CancelAsync().ConfigureAwait(false);
            await _flush.CompletesWithinAsync(ExitWait).ConfigureAwait(false);
        }

        _stop.Dispose();
    }

}
