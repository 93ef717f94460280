using WorkerNode.Execution;
using WorkerNode.Jobmon;
using WorkerNode.Logging;
using WorkerNode.Reporting;

namespace WorkerNode.Lifecycle;

/// <summary>
/// The short flush every server-mode worker starts beside its own work: a few reports meant for
/// its own server, through its own client. It never delays the command (it runs on the thread
/// pool, and finds nothing to do in the usual empty spool). A send is never cut short by the
/// flush's budget or by the worker's exit: a report cut off mid-request may have landed, and
/// resending an error report adds a row to the instance's error log. So a send starts only
/// while the budget still has room for its whole per-request timeout, and exit waits for a send
/// in flight to end by that timeout (bounded: see <see cref="DisposeAsync"/>).
/// </summary>
internal sealed class BackgroundSpoolFlush : IAsyncDisposable
{
    /// <summary>How long after the worker's start a send may still end.</summary>
    public static readonly TimeSpan Budget = TimeSpan.FromSeconds(10);

    /// <summary>
    /// The per-request timeout of a background send: http.request_timeout, but no more than this, so
    /// that a send in flight holds the worker's exit back by seconds, not by a long request timeout.
    /// </summary>
    public static readonly TimeSpan MaxSendTime = TimeSpan.FromSeconds(3);

    /// <summary>How many reports it sends at most: a worker is not the place to drain a large backlog.</summary>
    public const int MaxSends = 3;

    /// <summary>
    /// How long exit waits, past a send's own timeout, for the flush to release its claim; and again once
    /// it is cancelled, should the send ignore its timeout. Beyond that the worker exits all the same.
    /// </summary>
    public static readonly TimeSpan ExitGrace = TimeSpan.FromSeconds(1);

    private readonly CancellationTokenSource _hardStop;
    private readonly TimeSpan _sendTime;
    private Task _flush = Task.CompletedTask;
    private readonly CancellationTokenSource _closingSource = new();
    private volatile bool _closing;

    private BackgroundSpoolFlush(CancellationTokenSource hardStop, TimeSpan sendTime)
    {
        _hardStop = hardStop;
        _sendTime = sendTime;
    }

    /// <summary>Completes when the flush has ended by itself (at once when nothing was started).</summary>
    public Task Completion => _flush;

    /// <param name="spool">The spool directory, or null when there is none (nothing is started).</param>
    /// <param name="client">The worker's client, already built for its server.</param>
    /// <param name="server">The worker's server: only reports meant for it are sent.</param>
    /// <param name="log">The worker's log.</param>
    /// <param name="time">The clock of the budget and of each send's timeout.</param>
    /// <param name="jitter">
    /// The flush starts after a random wait of up to this long (on <paramref name="time"/>), so that an array of
    /// workers started in the same second does not flush in step during the very burst that loads the server.
    /// </param>
    public static BackgroundSpoolFlush Start(SpoolDirectory? spool, IFinalReportSender client, ReportDestination server, WorkerLog log, TimeProvider time, TimeSpan jitter = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(time);
        var sendTime = client.RequestTimeout < MaxSendTime ? client.RequestTimeout : MaxSendTime;
        var background = new BackgroundSpoolFlush(new CancellationTokenSource(), sendTime);
        // The usual case, no spool directory or nothing in it to send: an open and a getdents64 or two, no
        // lock, no task, no thread. (Only then the lock: a lock taken to find nothing costs a mkdir, an open,
        // a flock and a listing on every start.)
        if (spool is null || !spool.MayHoldCandidates())
        {
            return background;
        }

        var started = time.GetTimestamp();
        var flusher = new SpoolFlusher(spool, report => report.Server == server ? client : null, log, time);
        background._flush = Task.Run(
            async () =>
            {
                if (jitter > TimeSpan.Zero)
                {
                    try
                    {
                        // Exit ends the wait at once: nothing was sent yet, so there is nothing to wait for.
                        await Task.Delay(jitter * Random.Shared.NextDouble(), time, background._closingSource.Token).ConfigureAwait(false);
                    }
                    catch (OperationCanceledException)
                    {
                        return;
                    }
                }

                // One flusher per node at a time: the others have nothing to add but load.
                using var nodeLock = spool.TryLockFlush();
                if (nodeLock is null)
                {
                    log.Debug("another worker on this node is flushing the spool; not flushing", ("spool_dir", spool.Path));
                    return;
                }

                SpoolFlushResult result;
                try
                {
                    result = await flusher.FlushAsync(MaxSends, () => background.NextSendTime(time.GetElapsedTime(started)), background._hardStop.Token).ConfigureAwait(false);
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
        return background;
    }

    /// <summary>
    /// Starts no more sends, and waits for one in flight to end by its own timeout (plus <see cref="ExitGrace"/>);
    /// should it not, cancels it and waits <see cref="ExitGrace"/> more, then returns whatever it does.
    /// </summary>
    /// <remarks>The waits are in real time, whatever the clock: they bound the worker's exit.</remarks>
    public async ValueTask DisposeAsync()
    {
        _closing = true;
        await _closingSource.CancelAsync().ConfigureAwait(false);
        if (!await _flush.CompletesWithinAsync(_sendTime + ExitGrace).ConfigureAwait(false))
        {
            await _hardStop.CancelAsync().ConfigureAwait(false);
            await _flush.CompletesWithinAsync(ExitGrace).ConfigureAwait(false);
        }

        // A flush still running holds the token; the source has no timer, so leaving it to the collector is safe.
        if (_flush.IsCompleted)
        {
            _hardStop.Dispose();
            _closingSource.Dispose();
        }
    }

    /// <summary>The timeout of the next send, or null when the worker is exiting or the budget has no room for a whole one.</summary>
    private TimeSpan? NextSendTime(TimeSpan elapsed) =>
        !_closing && Budget - elapsed >= _sendTime ? _sendTime : null;
}
