using System.Globalization;
using WorkerNode.Cli;
using WorkerNode.Jobmon;
using WorkerNode.Logging;
using WorkerNode.Reporting;

namespace WorkerNode.Lifecycle;

/// <summary>
/// Sends a task instance's final report, once, and never loses it: a report that cannot be
/// delivered goes to the spool for <c>worker-node spool flush</c> (or a later worker), and the
/// worker exits 199 naming the file.
/// </summary>
internal sealed class FinalReportDelivery
{
    /// <summary>
    /// How long a worker stopped from outside tries to deliver. The scheduler that sent the signal
    /// sends SIGKILL soon after (Slurm's KillWait is 30 s by default, and the grace took part of
    /// it); so such a report is written to the spool first and then gets a short try.
    /// </summary>
    internal static readonly TimeSpan StoppedFromOutsideBudget = TimeSpan.FromSeconds(10);

    private readonly IJobmonClient _client;
    private readonly long _taskInstanceId;
    private readonly SpoolDirectory? _spool;
    private readonly Func<FinalReport, string, SpooledReport> _toSpooled;
    private readonly WorkerLog _log;
    private readonly Func<TimeSpan?> _windowLeft;
    private readonly StopSpool? _stopSpool;

    /// <param name="client">The server's client.</param>
    /// <param name="taskInstanceId">Whose report it is.</param>
    /// <param name="spool">Where undeliverable reports go; null when there is nowhere.</param>
    /// <param name="toSpooled">The spool file's content for a report and the reason it is spooled.</param>
    /// <param name="log">The worker's log.</param>
    /// <param name="windowLeft">What is left of the scheduler's kill window after a stop signal, when known: a stopped worker tries no longer than that.</param>
    /// <param name="stopSpool">Holds the report in the spool from the stop signal on, even one that comes during the delivery; null: only a worker already stopped writes ahead.</param>
    public FinalReportDelivery(IJobmonClient client, long taskInstanceId, SpoolDirectory? spool, Func<FinalReport, string, SpooledReport> toSpooled, WorkerLog log, Func<TimeSpan?>? windowLeft = null, StopSpool? stopSpool = null)
    {
        _stopSpool = stopSpool;
        _windowLeft = windowLeft ?? (() => null);
        _client = client;
        _taskInstanceId = taskInstanceId;
        _spool = spool;
        _toSpooled = toSpooled;
        _log = log;
    }

    /// <summary>Logs the outcome, sends its report if it has one, and returns the worker's exit status.</summary>
    /// <param name="outcome">What to report and the exit status when it is delivered.</param>
    /// <param name="stoppedFromOutside">The worker got a stop signal: spool first, short budget.</param>
    /// <param name="cancellationToken">Cancels the whole delivery.</param>
    public async Task<int> DeliverAsync(ServerOutcome outcome, bool stoppedFromOutside, CancellationToken cancellationToken)
    {
        if (!outcome.SummaryLogged)
        {
            _log.Info(outcome.Summary);
        }

        if (outcome.Report is not { } report)
        {
            return outcome.ExitCode;
        }

        var writtenAhead = _stopSpool?.Delivering(report);
        if (writtenAhead is null && stoppedFromOutside)
        {
            writtenAhead = WriteAhead(report);
        }

        using var budget = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var tries = StoppedFromOutsideBudget;
        if (stoppedFromOutside)
        {
            // Within the scheduler's kill window when it is known: the report is in the spool already.
            tries = TriesAfterStop();
            budget.CancelAfter(tries);
        }

        // A stop signal during the delivery: the report goes to the spool at once (StopSpool), and the tries
        // still to come fit in what is left of the kill window.
        using var stopDuringDelivery = stoppedFromOutside || _stopSpool is null
            ? default
            : _stopSpool.Stopped.Register(() =>
            {
                tries = TriesAfterStop();
                budget.CancelAfter(tries);
            });

        string reason;
        try
        {
            var status = await _client.SendFinalReportAsync(_taskInstanceId, report, budget.Token).ConfigureAwait(false);
            writtenAhead = Finish(writtenAhead);
            Settle(writtenAhead);
            if (status != report.TargetStatus)
            {
                _log.Error($"the server kept the task instance in status {status} instead of moving it to {report.TargetStatus}: the outcome was not recorded");
                return ExitCodes.WorkerFailed;
            }

            _log.Info("outcome reported", ("status", status.ToString()));
            return outcome.ExitCode;
        }
        catch (ServerUnreachableException exception)
        {
            reason = exception.Message;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            reason = string.Create(CultureInfo.InvariantCulture, $"no answer within {tries.TotalSeconds:0.#} s, as long as a worker stopped from outside tries before its scheduler kills it");
        }
        catch (JobmonException exception)
        {
            // Refused for good (an unknown instance, an answer that makes no sense): a resend would be too.
            writtenAhead = Finish(writtenAhead);
            Settle(writtenAhead);
            _log.Error($"cannot report the outcome: {exception.Message}");
            return ExitCodes.WorkerFailed;
        }

        writtenAhead = Finish(writtenAhead);
        if (writtenAhead is null)
        {
            KeepInSpool(report, reason);
        }
        else
        {
            Release(writtenAhead, reason);
        }

        return ExitCodes.WorkerFailed;
    }

    /// <summary>How long a worker stopped from outside tries: <see cref="StoppedFromOutsideBudget"/>, or less when the kill window leaves less.</summary>
    private TimeSpan TriesAfterStop() => _windowLeft() is { } left && left < StoppedFromOutsideBudget ? left : StoppedFromOutsideBudget;

    /// <summary>The delivery is over: the claim written ahead, the one a stop signal during it wrote if there was none before.</summary>
    private SpoolClaim? Finish(SpoolClaim? writtenAhead) => _stopSpool?.Finish() ?? writtenAhead;

    /// <summary>The report in the spool, claimed by this worker, before it is sent; null (and a warning) when it cannot be written.</summary>
    private SpoolClaim? WriteAhead(FinalReport report)
    {
        if (_spool is null)
        {
            return null;
        }

        try
        {
            return _spool.WriteClaimed(_toSpooled(report, "the worker was stopped from outside and may be killed before it is delivered"));
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            _log.Warning("cannot write the report to the spool before sending it", ("spool", _spool.Path), ("error", exception.Message));
            return null;
        }
    }

    /// <summary>The server has answered: the copy written ahead goes.</summary>
    private void Settle(SpoolClaim? writtenAhead)
    {
        try
        {
            writtenAhead?.Complete();
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            // A later flush sends it again, and the server answers with the state it already has.
            _log.Warning("cannot remove the report written ahead to the spool", ("spool_file", writtenAhead!.Path), ("error", exception.Message));
        }
    }

    /// <summary>Not delivered: the copy written ahead becomes an ordinary pending report.</summary>
    private void Release(SpoolClaim writtenAhead, string reason)
    {
        try
        {
            writtenAhead.Release();
            LogSpooled(reason, writtenAhead.PendingPath);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            // Still claimed: a flush takes it once the claim is stale.
            _log.Error($"cannot report the outcome: {reason}; it is kept in the spool as {writtenAhead.Path}: 'worker-node spool flush' delivers it once its claim is stale", ("spool_file", writtenAhead.Path));
        }
    }

    /// <summary>Writes an undeliverable final report to the spool; one line says where.</summary>
    private void KeepInSpool(FinalReport report, string reason)
    {
        if (_spool is null)
        {
            _log.Error($"cannot report the outcome: {reason}; nor keep it in a spool: neither worker_node.spool_dir nor HOME is set");
            return;
        }

        try
        {
            LogSpooled(reason, _spool.Write(_toSpooled(report, reason)));
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            _log.Error($"cannot report the outcome: {reason}; nor keep it in the spool {_spool.Path}: {exception.Message}");
        }
    }

    private void LogSpooled(string reason, string file) =>
        _log.Error($"cannot report the outcome: {reason}; it is kept in the spool as {file}: deliver it with 'worker-node spool flush'", ("spool_file", file));
}
