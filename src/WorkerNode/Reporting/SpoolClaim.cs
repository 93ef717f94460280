using WorkerNode.Interop;

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
    /// <remarks>
    /// Read through O_NOFOLLOW and checked on the open descriptor: in a directory others can write to,
    /// the name could have been swapped for a symlink or another user's file between the owner check and the claim.
    /// </remarks>
    public SpooledReport Read()
    {
        var fd = SafeFiles.OpenForReading(Path);
        using var handle = new Microsoft.Win32.SafeHandles.SafeFileHandle(fd, ownsHandle: true);
        var status = SafeFiles.Status(fd);
        if (!status.IsRegularFile || status.OwnerUid != SafeFiles.EffectiveUid)
        {
            throw new IOException($"it is not a regular file of this user (owner uid {status.OwnerUid})");
        }

        using var stream = new FileStream(handle, FileAccess.Read, bufferSize: 0);
        using var reader = new StreamReader(stream, System.Text.Encoding.UTF8);
        return SpooledReport.FromJson(reader.ReadToEnd());
    }

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
