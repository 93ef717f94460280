using WorkerNode.Logging;

namespace WorkerNode.Reporting;

/// <summary>What one flush did with the spool's files.</summary>
/// <param name="Delivered">Sent, and the server answered the status each asked for; the files are gone.</param>
/// <param name="Kept">Not delivered this time (server unreachable, a settings problem, cut short): pending again.</param>
/// <param name="Rejected">Refused for good (another status answered, an unknown instance, a damaged file): renamed *.rejected.</param>
/// <param name="Taken">Claimed by another flusher first: theirs to send.</param>
/// <param name="Skipped">Not for this flusher (a worker's background flush sends only its own server's reports).</param>
public sealed record SpoolFlushResult(int Delivered, int Kept, int Rejected, int Taken, int Skipped)
{
    /// <summary>Nothing this flusher looked at is left undelivered (files taken by another flusher are theirs).</summary>
    public bool Complete => Kept == 0 && Rejected == 0;

    public int Total => Delivered + Kept + Rejected + Taken + Skipped;

    /// <summary>The counts, for the summary line of a flush.</summary>
    public LogField[] ToLogFields() =>
        [("delivered", Delivered), ("kept", Kept), ("rejected", Rejected), ("taken", Taken), ("skipped", Skipped)];
}
