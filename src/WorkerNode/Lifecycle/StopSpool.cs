using WorkerNode.Jobmon;
using WorkerNode.Logging;
using WorkerNode.Reporting;

namespace WorkerNode.Lifecycle;

/// <summary>
/// Makes the outcome durable from the moment a stop signal arrives: at once, the report the worker would send
/// were it killed now goes to the spool (claimed by this worker, as a report written ahead of its sending is),
/// and every better report after it (the command's real end, the final report being delivered) takes its place.
/// A scheduler's SIGKILL at any moment after the stop signal, during the grace, the wait for the command or the
/// delivery, then leaves a report for `worker-node spool flush` or a later worker.
/// </summary>
/// <remarks>
/// Before this, the report was written to the spool only once the command had ended and the delivery began:
/// a SIGKILL during the grace (a KillWait shorter than the grace, or not yet read) lost the outcome.
/// </remarks>
internal sealed class StopSpool : IDisposable
{
    private readonly Lock _gate = new();
    private readonly SpoolDirectory? _spool;
    private readonly Func<FinalReport, string, SpooledReport> _toSpooled;
    private readonly WorkerLog _log;
    private readonly CancellationTokenRegistration _onStop;
    private Func<FinalReport>? _provisional;
    private FinalReport? _final;
    private SpoolClaim? _claim;
    private bool _stopped;
    private bool _done;
    private DateTimeOffset? _createdAt;

    /// <param name="spool">Where the report goes; null when there is nowhere (then nothing is written).</param>
    /// <param name="toSpooled">The spool file's content for a report and the reason it is spooled.</param>
    /// <param name="log">The worker's log.</param>
    /// <param name="stopped">Cancelled by the first stop signal (<see cref="Execution.SignalRouter.Stopped"/>).</param>
    public StopSpool(SpoolDirectory? spool, Func<FinalReport, string, SpooledReport> toSpooled, WorkerLog log, CancellationToken stopped)
    {
        _spool = spool;
        _toSpooled = toSpooled;
        _log = log;
        Stopped = stopped;
        // Last: a stop already received writes at once, and everything above must be set by then.
        _onStop = stopped.Register(static state => ((StopSpool)state!).OnStop(), this);
    }

    /// <summary>The stop signal's token: a delivery under way shortens its tries when it fires.</summary>
    public CancellationToken Stopped { get; }

    /// <summary>
    /// While the command runs: what to report should the worker be killed before the command ends (a stop from
    /// outside, or the limit being enforced). Written at once if a stop signal came already.
    /// </summary>
    public void WhileRunning(Func<FinalReport> provisional)
    {
        lock (_gate)
        {
            _provisional = provisional;
            if (_stopped && _claim is null)
            {
                WriteLocked(provisional(), "the worker was stopped from outside; the command had not yet ended");
            }
        }
    }

    /// <summary>
    /// The delivery of <paramref name="report"/> begins: the claim written ahead holds it from now on (rewritten
    /// when a stop came already, written should one come during the delivery). Returns the claim as it is now.
    /// </summary>
    public SpoolClaim? Delivering(FinalReport report)
    {
        lock (_gate)
        {
            _final = report;
            if (_stopped)
            {
                WriteLocked(report, "the worker was stopped from outside and may be killed before it is delivered");
            }

            return _claim;
        }
    }

    /// <summary>The delivery is over (sent, refused or given up): the claim, if any, is the caller's to settle or release; nothing more is written.</summary>
    public SpoolClaim? Finish()
    {
        lock (_gate)
        {
            _done = true;
            return _claim;
        }
    }

    public void Dispose() => _onStop.Dispose();

    private void OnStop()
    {
        lock (_gate)
        {
            if (_stopped || _done)
            {
                return;
            }

            _stopped = true;
            if (_final is { } final)
            {
                WriteLocked(final, "the worker was stopped from outside while delivering it");
            }
            else if (_provisional is { } provisional)
            {
                WriteLocked(provisional(), "the worker was stopped from outside; the command had not yet ended");
            }
        }
    }

    /// <summary>The report in the spool, claimed, in place of the one there before.</summary>
    private void WriteLocked(FinalReport report, string reason)
    {
        if (_spool is null || _done)
        {
            return;
        }

        SpoolClaim written;
        try
        {
            // The first file's time stamp for every later one: the same name, so each report replaces the one
            // before in a single rename, and a SIGKILL never finds two (or none).
            var spooled = _toSpooled(report, reason);
            _createdAt ??= spooled.CreatedAt;
            written = _spool.WriteClaimed(spooled with { CreatedAt = _createdAt.Value });
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            _log.Warning("cannot write the report to the spool after the stop signal", ("spool", _spool.Path), ("error", exception.Message));
            return;
        }

        if (_claim is { } previous && previous.Path != written.Path)
        {
            try
            {
                previous.Complete();
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                // A flush would later send the older one too; the server keeps the state it has by then.
                _log.Warning("cannot remove the report written before in the spool", ("spool_file", previous.Path), ("error", exception.Message));
            }
        }

        _claim = written;
        _log.Debug("report written to the spool", ("spool_file", written.Path), ("status", report.TargetStatus.ToString()));
    }
}
