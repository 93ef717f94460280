using System.Globalization;
using System.Text;
using WorkerNode.Interop;

namespace WorkerNode.Reporting;

/// <summary>
/// The directory of final reports that could not be delivered. One JSON file per report
/// (<c>*.json</c>, owner-only), written atomically; a flusher claims a file by renaming it to
/// <c>*.json.claimed-HOST-PID</c>, so that of several flushers exactly one sends it. A claim older
/// than <see cref="StaleClaimAge"/> belongs to a flusher that died and may be taken over.
/// </summary>
public sealed class SpoolDirectory
{
    /// <summary>A report waiting to be delivered.</summary>
    public const string PendingExtension = ".json";

    /// <summary>Appended to a report the server refused for good: kept for a person, never sent again.</summary>
    public const string RejectedSuffix = ".rejected";

    /// <summary>
    /// When a claim counts as abandoned. A live flusher holds one for at most
    /// <see cref="SpoolFlusher.MaxSendTime"/>, so this leaves minutes of margin (clock skew, a slow disk).
    /// </summary>
    public static readonly TimeSpan StaleClaimAge = TimeSpan.FromMinutes(15);

    private const string ClaimMarker = ".claimed-";

    // rw------- (before the umask, which can only take away): a report holds the command's output
    // tails and the service URL, which are the user's business alone.
    private const UnixFileMode FileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    private readonly TimeProvider _time;
    private readonly string _claimer;

    public SpoolDirectory(string path, TimeProvider time)
    {
        Path = path;
        _time = time;
        _claimer = $"{FileNamePart(Environment.MachineName)}-{Environment.ProcessId}";
    }

    public string Path { get; }

    /// <summary>
    /// worker_node.spool_dir when set, else the per-user default: <c>$XDG_STATE_HOME/worker-node/spool</c>,
    /// or <c>$HOME/.local/state/worker-node/spool</c>; null when there is neither.
    /// </summary>
    public static string? Locate(string? configured, IReadOnlyDictionary<string, string> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        if (!string.IsNullOrEmpty(configured))
        {
            return configured;
        }

        // The XDG spec: a relative XDG_STATE_HOME is invalid and must be ignored.
        if (environment.TryGetValue("XDG_STATE_HOME", out var state) && state.StartsWith('/'))
        {
            return System.IO.Path.Combine(state, "worker-node", "spool");
        }

        return environment.TryGetValue("HOME", out var home) && home.StartsWith('/')
            ? System.IO.Path.Combine(home, ".local", "state", "worker-node", "spool")
            : null;
    }

    /// <summary>
    /// Checks at start, before a report may need it, that the spool can be written: the directory is
    /// created when missing (owner-only, <see cref="Execution.FileSafety.EnsureDirectory"/>), must be safe,
    /// and writable by this user. Throws IOException with a one-line reason. Costs a stat or two (a mkdir
    /// the first time), no directory listing.
    /// </summary>
    public void CheckUsable()
    {
        Execution.FileSafety.EnsureDirectory(Path);
        if (!SafeFiles.CanWriteIn(Path))
        {
            throw new IOException($"the spool directory {Path} is not writable");
        }
    }

    /// <summary>Writes the report as a new pending file (creating the directory if needed) and returns its path; throws IOException / UnauthorizedAccessException.</summary>
    public string Write(SpooledReport report)
    {
        var path = PendingPathOf(report);
        AtomicFile.Write(path, report.ToUtf8Json(), FileMode);
        return path;
    }

    /// <summary>
    /// Writes the report already claimed by this process, for a report that is about to be sent and
    /// must outlive the worker if it is killed meanwhile: no flusher takes it before the claim is
    /// stale, and then one does. Throws IOException / UnauthorizedAccessException.
    /// </summary>
    public SpoolClaim WriteClaimed(SpooledReport report)
    {
        var pending = PendingPathOf(report);
        var claimed = pending + ClaimMarker + _claimer;
        AtomicFile.Write(claimed, report.ToUtf8Json(), FileMode);
        return new SpoolClaim(claimed, pending);
    }

    /// <summary>The pending file's path for a report (creating the directory if needed).</summary>
    private string PendingPathOf(SpooledReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        // rwx------ for the directories this creates (the per-user default); a shared spool directory
        // on a cluster is made by its administrator, with the permissions the site wants.
        Execution.FileSafety.EnsureDirectory(Path);
        var name = string.Create(
            CultureInfo.InvariantCulture,
            $"{report.Report.TaskInstanceId}-{report.Report.Route}-{report.CreatedAt.UtcDateTime:yyyyMMdd'T'HHmmss'.'fff'Z'}-{FileNamePart(report.Host)}-{report.Pid}{PendingExtension}");
        return System.IO.Path.Combine(Path, name);
    }

    /// <summary>
    /// The files a flusher may try, oldest first: pending reports and abandoned claims. Empty when
    /// the directory does not exist; throws IOException / UnauthorizedAccessException when it cannot be read.
    /// </summary>
    public IReadOnlyList<string> Candidates()
    {
        var directory = new DirectoryInfo(Path);
        if (!directory.Exists)
        {
            return [];
        }

        var now = _time.GetUtcNow().UtcDateTime;
        var found = new List<FileInfo>();
        foreach (var file in directory.EnumerateFiles())
        {
            // Dot files are AtomicFile's temporary files, not yet reports.
            if (file.Name.StartsWith('.'))
            {
                continue;
            }

            if (file.Name.EndsWith(PendingExtension, StringComparison.Ordinal)
                || (IsClaim(file.Name) && now - file.LastWriteTimeUtc > StaleClaimAge))
            {
                found.Add(file);
            }
        }

        return [.. found.OrderBy(file => file.LastWriteTimeUtc).Select(file => file.FullName)];
    }

    /// <summary>Claims a candidate for this process; null when another flusher got there first.</summary>
    public SpoolClaim? TryClaim(string candidate)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        var name = System.IO.Path.GetFileName(candidate);
        var claim = name.IndexOf(ClaimMarker, StringComparison.Ordinal);
        var pending = System.IO.Path.Combine(Path, claim < 0 ? name : name[..claim]);
        var claimed = pending + ClaimMarker + _claimer;
        try
        {
            // A rename keeps the modification time, and the age of a claim is read from it: so
            // touch first. A file taken meanwhile by another flusher fails here or at the rename.
            File.SetLastWriteTimeUtc(candidate, _time.GetUtcNow().UtcDateTime);

            // overwrite: true is rename(2), atomic: of several flushers moving the same name, one
            // succeeds and the others find it gone. (Without overwrite .NET links and unlinks,
            // and two flushers could both succeed.) The target name is this process's own.
            File.Move(candidate, claimed, overwrite: true);
            return new SpoolClaim(claimed, pending);
        }
        catch (Exception exception) when (exception is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }

    /// <summary>Whether the directory exists: one statx.</summary>
    public bool Exists => SafeFiles.TryStatus(Path, followLinks: true) is { IsDirectory: true };

    /// <summary>
    /// Whether a flush could find anything to do: false when there is no directory, or it holds nothing but what
    /// <see cref="Candidates"/> passes over for good: dot names (the <c>.flush-*</c> lock directories, which stay
    /// once made, and AtomicFile's temporaries, which become reports only by a rename a flush could miss all the
    /// same) and <c>*.rejected</c> files. Anything else, a claim too however young, says "maybe": the flush then
    /// takes the lock and lists the directory as before. The whole cost of a worker's start-up flush in the usual
    /// case of an empty (or missing) spool: an open and two getdents64, no lock, no mkdir, no task. The directory
    /// is read, never written, and no entry is opened or followed; a directory that cannot be read says "maybe",
    /// and the flush reports why.
    /// </summary>
    public bool MayHoldCandidates()
    {
        try
        {
            return SafeFiles.HasEntry(Path, IsCandidateName) ?? false;
        }
        catch (IOException)
        {
            return true;
        }
    }

    /// <summary>
    /// The node's flush lock for this user: a directory <c>.flush-HOST-UID</c> in the spool (made owner-only
    /// when missing; a directory, so that no listing of reports ever sees it), flock'ed without waiting, so
    /// that of the workers starting together on one node only one flushes (a user flushes only their own
    /// reports, so one lock per user). Null when another holds it, or it is not this user's own directory.
    /// Dispose to release.
    /// </summary>
    public IDisposable? TryLockFlush() => TryLockFlush(out _);

    /// <summary>
    /// As <see cref="TryLockFlush()"/>; when it returns null, <paramref name="unusable"/> says why the lock
    /// cannot be taken at all (it cannot be made or opened, it is not this user's directory), and is null
    /// when another process simply holds it.
    /// </summary>
    public IDisposable? TryLockFlush(out string? unusable)
    {
        unusable = null;
        int fd;
        try
        {
            SafeFiles.CreateDirectory(FlushLockPath, Execution.FileSafety.PrivateDirectoryMode);
            fd = SafeFiles.OpenForReading(FlushLockPath);
        }
        catch (IOException exception)
        {
            unusable = $"cannot open the flush lock {FlushLockPath}: {exception.Message}";
            return null;
        }

        var handle = new Microsoft.Win32.SafeHandles.SafeFileHandle(fd, ownsHandle: true);
        var status = SafeFiles.Status(fd);
        if (!status.IsDirectory || status.OwnerUid != SafeFiles.EffectiveUid)
        {
            unusable = $"the flush lock {FlushLockPath} is not a directory of this user (uid {SafeFiles.EffectiveUid})";
            handle.Dispose();
            return null;
        }

        if (SafeFiles.TryLockExclusive(fd))
        {
            return handle;
        }

        handle.Dispose();
        return null;
    }

    /// <summary>The node's flush lock for this user (see <see cref="TryLockFlush()"/>).</summary>
    public string FlushLockPath => System.IO.Path.Combine(Path, $".flush-{FileNamePart(Environment.MachineName)}-{SafeFiles.EffectiveUid}");

    /// <summary>
    /// The owner's uid when a candidate is not a regular file of this process's user (a symlink, another
    /// user's file); null when it is ours, or gone (the claim then finds it gone).
    /// </summary>
    public static uint? OwnerOtherThanMe(string candidate)
    {
        FileStatus? status;
        try
        {
            status = SafeFiles.TryStatus(candidate, followLinks: false);
        }
        catch (IOException)
        {
            return null;
        }

        return status is { } found && (!found.IsRegularFile || found.OwnerUid != SafeFiles.EffectiveUid) ? found.OwnerUid : null;
    }

    /// <summary>A name <see cref="Candidates"/> may return (ignoring a claim's age): not a dot name, a pending report or a claim.</summary>
    private static bool IsCandidateName(ReadOnlySpan<byte> name) =>
        name.Length > 0 && name[0] != (byte)'.'
        && (name.EndsWith(".json"u8) || name.IndexOf(".json.claimed-"u8) >= 0);

    private static bool IsClaim(string name) => name.Contains(PendingExtension + ClaimMarker, StringComparison.Ordinal);

    /// <summary>Host names go into file names: keep letters, digits, '.', '_' and '-', and keep them short.</summary>
    private static string FileNamePart(string text)
    {
        var part = new StringBuilder(Math.Min(text.Length, 64));
        foreach (var character in text.AsSpan(0, Math.Min(text.Length, 64)))
        {
            part.Append(char.IsAsciiLetterOrDigit(character) || character is '.' or '_' or '-' ? character : '_');
        }

        return part.Length == 0 ? "unknown" : part.ToString();
    }
}
