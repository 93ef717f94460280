namespace WorkerNode.Reporting;

/// <summary>A spool file this process has claimed: read it, then delete, release or reject it. Throws IOException and friends.</summary>
public sealed class SpoolClaim
{
    internal SpoolClaim(string path, string pendingPath)
    {
        Path = path;
        PendingPath = path == pendingPath ? throw new ArgumentException("a claim is not the pending file", nameof(pendingPath)) : pendingPath;
    }

    /// <summary>The claimed file (<c>*.json.claimed-HOST-PID</c>).</summary>
    public string Path { get; }

    /// <summary>Its name as a pending report (<c>*.json</c>).</summary>
    public string PendingPath { get; }

    /// <summary>The report; <see cref="System.Text.Json.JsonException"/> when the file is damaged.</summary>
    public SpooledReport Read() => SpooledReport.FromJson(File.ReadAllText(Path));

    /// <summary>Delivered: the file goes.</summary>
    public void Complete() => File.Delete(Path);

    /// <summary>Not delivered this time: pending again, for a later flush.</summary>
    public void Release() => File.Move(Path, PendingPath);

    /// <summary>Refused for good: renamed <c>*.json.rejected</c>, which no flusher picks up; returns the new path.</summary>
    public string Reject()
    {
        var rejected = PendingPath + SpoolDirectory.RejectedSuffix;
        File.Move(Path, rejected);
        return rejected;
    }
}
