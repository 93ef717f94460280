using System.Text.Json;
using WorkerNode.Configuration;
using WorkerNode.Jobmon;
using WorkerNode.Logging;

namespace WorkerNode.Reporting;

/// <summary>
/// Delivers spooled final reports: claims each file, sends its envelope to the server it was meant
/// for, and deletes it once the server answers the status it asked for. By PROTOCOL.md §8 nothing
/// leaves D, E, Z or F, so no state is "later" than a final report's target: a resend of a report
/// that had landed (only its answer was lost) is answered with the target and counts as delivered;
/// any other answer means the server refused the transition (the reaper won, the instance was
/// settled otherwise), so the file is rejected, not retried: a resent error report would add a row
/// to the instance's error log every time. Every outcome is logged.
/// Before it sends a report that names its task, it asks the server's read-only details route for the
/// instance (<see cref="SpoolInstanceCheck"/>): a report is sent only to the run it is about, on the node
/// and job it names, while that run still awaits it (docs/spool.md).
/// </summary>
public sealed class SpoolFlusher
{
    /// <summary>
    /// The longest one file stays claimed while it is sent, whatever the retry budget says: the send
    /// is cancelled then and the file released, so that a live claim never looks abandoned
    /// (<see cref="SpoolDirectory.StaleClaimAge"/>).
    /// </summary>
    public static readonly TimeSpan MaxSendTime = TimeSpan.FromMinutes(10);

    /// <summary>
    /// A spooled report older than this is set aside (renamed <c>*.rejected</c>) rather than sent: by then
    /// the server has long given the instance up (its reaper marks an instance whose heartbeats stopped
    /// lost within next_report_increment), or it may be a different server on the same URL whose task
    /// instance ids started again, where the report would land on the wrong instance.
    /// </summary>
    public static readonly TimeSpan MaxReportAge = TimeSpan.FromDays(7);

    /// <summary>
    /// The next_report_increment of the heartbeat that brings an instance in T back to R before its done report: Jobmon's
    /// default window (90 s × 3.1). Should the report that follows be lost, the server finds the instance overdue
    /// again after it, as it would any silent worker.
    /// </summary>
    public const double RecoveryReportIncrementSeconds = 279.0;

    private readonly SpoolDirectory _spool;
    private readonly Func<SpooledReport, IFinalReportSender?> _senderFor;
    private readonly WorkerLog _log;
    private readonly TimeProvider _time;

    /// <param name="spool">The directory to flush.</param>
    /// <param name="senderFor">The client for a report's server; null to leave the report alone. May throw <see cref="JobmonConfigurationException"/>.</param>
    /// <param name="log">Where each outcome goes.</param>
    /// <param name="time">The clock of <see cref="MaxSendTime"/>.</param>
    public SpoolFlusher(SpoolDirectory spool, Func<SpooledReport, IFinalReportSender?> senderFor, WorkerLog log, TimeProvider time)
    {
        _spool = spool;
        _senderFor = senderFor;
        _log = log;
        _time = time;
    }

    /// <summary>
    /// Tries every candidate, sending at most <paramref name="maxSends"/>, each for up to
    /// <see cref="MaxSendTime"/>; stops early when cancelled (the file in flight is released). Throws
    /// IOException / UnauthorizedAccessException when the directory cannot be read.
    /// </summary>
    public Task<SpoolFlushResult> FlushAsync(int maxSends, CancellationToken cancellationToken) =>
        FlushAsync(maxSends, static () => MaxSendTime, cancellationToken);

    /// <summary>
    /// As <see cref="FlushAsync(int, CancellationToken)"/>, but <paramref name="nextSendTime"/> is asked before each
    /// report is claimed: how long its send may take (at most <see cref="MaxSendTime"/>), or null to start no more
    /// sends. A send is cut short only by its own time or by <paramref name="cancellationToken"/>.
    /// </summary>
    public async Task<SpoolFlushResult> FlushAsync(int maxSends, Func<TimeSpan?> nextSendTime, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(nextSendTime);
        var tally = new Tally();
        var candidates = _spool.Candidates();

        // Servers that did not answer during this flush (their other reports wait for the next one), and servers
        // that do not offer the details route (older ones: asked once per flush, then sent to unchecked).
        var servers = new ServerMemory([], []);
        var sends = 0;
        foreach (var candidate in candidates)
        {
            if (sends >= maxSends || cancellationToken.IsCancellationRequested || nextSendTime() is not { } sendTime)
            {
                break;
            }

            // Only the owner of a report sends it, with their own token, to the server their worker was
            // configured with: root (or anyone a shared directory lets rename others' files) leaves
            // other users' reports alone.
            if (SpoolDirectory.OwnerOtherThanMe(candidate) is { } owner)
            {
                tally.Skipped++;
                _log.Warning("spooled report of another user skipped: only its owner may send it", ("file", candidate), ("owner_uid", owner));
                continue;
            }

            SpoolClaim? claim;
            try
            {
                claim = _spool.TryClaim(candidate);
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                // Another user's file in a shared (sticky) spool directory, say: theirs to flush.
                tally.Skipped++;
                _log.Warning("cannot claim a spooled report", ("file", candidate), ("error", exception.Message));
                continue;
            }

            if (claim is null)
            {
                tally.Taken++;
                _log.Info("spooled report taken by another flusher", ("file", candidate));
                continue;
            }

            var (report, sender, settled) = Prepare(claim, servers.Unreachable);
            if (settled is { } outcome)
            {
                tally.Add(outcome);
                continue;
            }

            sends++;
            tally.Add(await SendAsync(claim, report!, sender!, servers, sendTime < MaxSendTime ? sendTime : MaxSendTime, cancellationToken).ConfigureAwait(false));
        }

        return tally.Result;
    }

    /// <summary>Reads the claimed file and finds its sender; or settles it at once (damaged, not ours, its server already failed).</summary>
    private (SpooledReport? Report, IFinalReportSender? Sender, Outcome? Settled) Prepare(SpoolClaim claim, HashSet<ReportDestination> unreachable)
    {
        SpooledReport report;
        try
        {
            report = claim.Read();
        }
        catch (JsonException exception)
        {
            return (null, null, Reject(claim, $"the file is not a spooled report: {exception.Message}", null));
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return (null, null, Release(claim, $"cannot read it: {exception.Message}", null, LogLevel.Warning));
        }

        var age = _time.GetUtcNow() - report.CreatedAt;
        if (age > MaxReportAge)
        {
            return (report, null, Reject(claim, $"it is {DisplayFormat.Duration(age)} old, older than the {DisplayFormat.Duration(MaxReportAge)} after which a report is no longer sent: its instance has long been settled or given up, and task instance ids may since have been reused by another server at the same URL", report));
        }

        if (unreachable.Contains(report.Server))
        {
            return (report, null, Release(claim, "its server did not answer earlier in this flush", report, LogLevel.Warning));
        }

        try
        {
            var sender = _senderFor(report);
            if (sender is null)
            {
                Release(claim, "meant for another server or version", report, LogLevel.Debug);
                return (report, null, Outcome.Skipped);
            }

            return (report, sender, null);
        }
        catch (JobmonConfigurationException exception)
        {
            return (report, null, Release(claim, exception.Message, report, LogLevel.Error));
        }
    }

    private async Task<Outcome> SendAsync(
        SpoolClaim claim, SpooledReport report, IFinalReportSender sender, ServerMemory servers, TimeSpan sendTime, CancellationToken cancellationToken)
    {
        var envelope = report.Report;
        using var limit = new CancellationTokenSource(sendTime, _time);
        using var either = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, limit.Token);
        try
        {
            // The check and the send share the report's time: a check that hangs keeps the report, as a send would.
            if (await CheckAsync(claim, report, sender, servers, either.Token).ConfigureAwait(false) is { } settled)
            {
                return settled;
            }

            var status = await sender.SendEnvelopeAsync(envelope, either.Token).ConfigureAwait(false);
            if (status != envelope.TargetStatus)
            {
                return Reject(claim, $"the server answered status {status} instead of {envelope.TargetStatus}: it refused the transition, so the report cannot be recorded", report);
            }

            return Deliver(claim, report, status);
        }
        catch (ServerUnreachableException exception)
        {
            servers.Unreachable.Add(report.Server);
            return Release(claim, exception.Message, report, LogLevel.Warning);
        }
        catch (UnknownTaskInstanceException exception)
        {
            return Reject(claim, exception.Message, report);
        }
        catch (UnexpectedServerAnswerException exception)
        {
            // A 4xx (a proxy wanting a token, say) or garbage: a settings problem, fixable, so keep it.
            return Release(claim, exception.Message, report, LogLevel.Error);
        }
        catch (OperationCanceledException) when (either.IsCancellationRequested)
        {
            // The send may have landed: then a later resend is answered with the target and counts as delivered.
            var why = cancellationToken.IsCancellationRequested ? "the flush was cut short while sending it" : $"sending it took longer than {DisplayFormat.Duration(sendTime)}";
            return Release(claim, why, report, LogLevel.Warning);
        }
    }

    /// <summary>
    /// Asks the server for the report's instance and settles the report when it does not await it (rejected), or has
    /// already recorded it (delivered, not sent again); sends the heartbeat that brings an instance in T back to R
    /// before a done report. Null: send it. Failures of the calls throw as the send's would (the caller keeps the report).
    /// </summary>
    private async Task<Outcome?> CheckAsync(SpoolClaim claim, SpooledReport report, IFinalReportSender sender, ServerMemory servers, CancellationToken cancellationToken)
    {
        var envelope = report.Report;
        if (report.TaskId is not { } taskId)
        {
            _log.Debug("spooled report written without its task id (by an earlier version): sent without checking its instance", Fields(claim.PendingPath, report));
            return null;
        }

        if (servers.Unchecked.Contains(report.Server))
        {
            return null;
        }

        var lookup = await sender.LookUpTaskInstanceAsync(taskId, envelope.TaskInstanceId, cancellationToken).ConfigureAwait(false);
        if (lookup.NotOffered is { } answer)
        {
            // An older server: deliver as before, and do not ask it again in this flush.
            servers.Unchecked.Add(report.Server);
            _log.Debug("the server does not offer the task instance details route; its spooled reports are sent without checking their instance", ("service_url", report.Server.ServiceUrl), ("answer", answer));
            return null;
        }

        if (lookup.Instance is not { } instance)
        {
            return Reject(claim, $"task {taskId} has no task instance {envelope.TaskInstanceId} on the server: the report is about no instance it holds", report);
        }

        var verdict = SpoolInstanceCheck.Judge(envelope, instance);
        switch (verdict.Action)
        {
            case SpoolCheckAction.SetAside:
                return Reject(claim, verdict.Reason, report);
            case SpoolCheckAction.AlreadyRecorded:
                return Deliver(claim, report, envelope.TargetStatus, verdict.Reason);
            case SpoolCheckAction.HeartbeatFirst:
                var run = envelope.Reported();
                var heartbeat = new HeartbeatReport(RecoveryReportIncrementSeconds, run.Stdout, run.Stderr, run.DistributorId, Usage: null);
                var status = await sender.LogReportByAsync(envelope.TaskInstanceId, heartbeat, cancellationToken).ConfigureAwait(false);
                if (status != TaskInstanceStatus.Running)
                {
                    return Reject(claim, $"the server shows status T (TRIAGING), and answered a heartbeat with status {status}, not R: it has settled the instance otherwise", report);
                }

                _log.Info("spooled done report for an instance in T: a heartbeat brought it back to R", Fields(claim.PendingPath, report));
                return null;
            default:
                _log.Debug("spooled report checked: its instance awaits it", Fields(claim.PendingPath, report, ("check", verdict.Reason)));
                return null;
        }
    }

    private Outcome Deliver(SpoolClaim claim, SpooledReport report, TaskInstanceStatus status, string? alreadyRecorded = null)
    {
        try
        {
            claim.Complete();
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            // Delivered all the same; a later flush resends it and is answered the same status.
            _log.Warning("spooled report delivered, but its file cannot be removed", ("file", claim.Path), ("error", exception.Message));
        }

        if (alreadyRecorded is not null)
        {
            // Not sent again: a resent error report would add a second row to the instance's error log.
            _log.Info("spooled report delivered (already recorded, not sent again)", Fields(claim.PendingPath, report, ("status", status.ToString()), ("check", alreadyRecorded)));
        }
        else
        {
            _log.Info("spooled report delivered", Fields(claim.PendingPath, report, ("status", status.ToString())));
        }

        return Outcome.Delivered;
    }

    private Outcome Release(SpoolClaim claim, string reason, SpooledReport? report, LogLevel level)
    {
        try
        {
            claim.Release();
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            _log.Warning("cannot release a spool claim; it is taken over once stale", ("file", claim.Path), ("error", exception.Message));
        }

        _log.Write(level, "spooled report kept for a later flush: " + reason, Fields(claim.PendingPath, report));

        return Outcome.Kept;
    }

    private Outcome Reject(SpoolClaim claim, string reason, SpooledReport? report)
    {
        string kept;
        try
        {
            kept = claim.Reject();
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            kept = claim.Path;
            _log.Warning("cannot rename a rejected spool file", ("file", claim.Path), ("error", exception.Message));
        }

        _log.Error("spooled report rejected and not sent again: " + reason, Fields(kept, report));
        return Outcome.Rejected;
    }

    private static LogField[] Fields(string file, SpooledReport? report, params ReadOnlySpan<LogField> more)
    {
        var fields = new List<LogField> { ("file", file) };
        if (report is not null)
        {
            fields.Add(("spooled_task_instance_id", report.Report.TaskInstanceId));
            if (report.TaskId is { } taskId)
            {
                fields.Add(("spooled_task_id", taskId));
            }

            fields.Add(("route", report.Report.Route));
        }

        fields.AddRange(more);
        return [.. fields];
    }

    /// <summary>What one flush has learnt about servers: which did not answer, which lack the details route.</summary>
    private sealed record ServerMemory(HashSet<ReportDestination> Unreachable, HashSet<ReportDestination> Unchecked);

    private enum Outcome
    {
        Delivered,
        Kept,
        Rejected,
        Skipped,
    }

    private sealed class Tally
    {
        public int Delivered { get; set; }

        public int Kept { get; set; }

        public int Rejected { get; set; }

        public int Taken { get; set; }

        public int Skipped { get; set; }

        public SpoolFlushResult Result => new(Delivered, Kept, Rejected, Taken, Skipped);

        public void Add(Outcome outcome)
        {
            switch (outcome)
            {
                case Outcome.Delivered:
                    Delivered++;
                    break;
                case Outcome.Kept:
                    Kept++;
                    break;
                case Outcome.Rejected:
                    Rejected++;
                    break;
                default:
                    Skipped++;
                    break;
            }
        }
    }
}
