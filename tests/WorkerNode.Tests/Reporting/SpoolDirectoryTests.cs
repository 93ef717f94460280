using System.Text.RegularExpressions;
using WorkerNode.Reporting;

namespace WorkerNode.Tests.Reporting;

/// <summary>Where the spool is, how its files are written, and how a flusher claims them.</summary>
public sealed class SpoolDirectoryTests : IDisposable
{
    private readonly SpoolFiles _files = new();

    public void Dispose() => _files.Dispose();

    [Theory]
    [InlineData("/shared/spool", "/state", "/home/u", "/shared/spool")]
    [InlineData(null, "/state", "/home/u", "/state/worker-node/spool")]
    [InlineData(null, "relative/state", "/home/u", "/home/u/.local/state/worker-node/spool")]
    [InlineData(null, null, "/home/u", "/home/u/.local/state/worker-node/spool")]
    [InlineData(null, null, null, null)]
    public void TheConfiguredDirectoryElseXdgStateHomeElseHome(string? configured, string? xdgStateHome, string? home, string? expected)
    {
        var environment = new Dictionary<string, string>();
        if (xdgStateHome is not null)
        {
            environment["XDG_STATE_HOME"] = xdgStateHome;
        }

        if (home is not null)
        {
            environment["HOME"] = home;
        }

        Assert.Equal(expected, SpoolDirectory.Locate(configured, environment));
    }

    [Fact]
    public void AReportIsWrittenOwnerOnlyIntoADirectoryCreatedOwnerOnly()
    {
        var report = SpoolFiles.Report(12);

        var file = _files.Spool.Write(report);

        Assert.Matches(new Regex(@"^12-log_done-\d{8}T\d{6}\.\d{3}Z-node1\.cluster-\d+\.json$"), Path.GetFileName(file));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(_files.Path));
        Assert.Equal(report, SpooledReport.FromJson(File.ReadAllText(file)));
        Assert.Single(_files.Names());
    }

    [Fact]
    public void CandidatesArePendingReportsAndAbandonedClaimsOldestFirst()
    {
        var newer = _files.Add(1);
        var older = _files.Add(2);
        File.SetLastWriteTimeUtc(older, DateTime.UtcNow.AddMinutes(-5));
        var abandoned = older.Replace("2-log_done", "3-log_done", StringComparison.Ordinal) + ".claimed-gone-1";
        File.Copy(older, abandoned);
        File.SetLastWriteTimeUtc(abandoned, DateTime.UtcNow - SpoolDirectory.StaleClaimAge - TimeSpan.FromMinutes(1));
        File.Copy(older, older.Replace("2-log_done", "4-log_done", StringComparison.Ordinal) + ".claimed-busy-2");
        File.Copy(older, older.Replace("2-log_done", "5-log_done", StringComparison.Ordinal) + SpoolDirectory.RejectedSuffix);
        File.WriteAllText(Path.Combine(_files.Path, ".6-log_done.json.77.tmp"), "{");

        Assert.Equal([abandoned, older, newer], _files.Spool.Candidates());
    }

    [Fact]
    public void AMissingDirectoryHasNoCandidates() => Assert.Empty(_files.Spool.Candidates());

    [Fact]
    public void OnlyOneOfTwoClaimsOfTheSameFileSucceeds()
    {
        var file = _files.Add();
        var other = new SpoolDirectory(_files.Path, TimeProvider.System);

        var first = _files.Spool.TryClaim(file);
        var second = other.TryClaim(file);

        Assert.NotNull(first);
        Assert.Null(second);
        Assert.StartsWith(file + ".claimed-", first.Path, StringComparison.Ordinal);
        Assert.Equal(file, first.PendingPath);
        Assert.Equal([Path.GetFileName(first.Path)], _files.Names());
        Assert.Empty(_files.Spool.Candidates());
    }

    [Fact]
    public void AClaimIsReleasedRejectedOrCompleted()
    {
        var released = _files.Spool.TryClaim(_files.Add(1))!;
        var rejected = _files.Spool.TryClaim(_files.Add(2))!;
        var completed = _files.Spool.TryClaim(_files.Add(3))!;

        released.Release();
        var rejectedPath = rejected.Reject();
        completed.Complete();

        Assert.Equal([released.PendingPath], _files.Spool.Candidates());
        Assert.Equal(rejected.PendingPath + SpoolDirectory.RejectedSuffix, rejectedPath);
        Assert.True(File.Exists(rejectedPath));
        Assert.Equal(2, _files.Names().Length);
    }

    [Fact]
    public void AnAbandonedClaimIsTakenOverAndLooksFreshAfterwards()
    {
        var pending = _files.Add();
        var abandoned = pending + ".claimed-gone-1";
        File.Move(pending, abandoned);
        File.SetLastWriteTimeUtc(abandoned, DateTime.UtcNow.AddHours(-1));

        var claim = _files.Spool.TryClaim(Assert.Single(_files.Spool.Candidates()));

        Assert.NotNull(claim);
        Assert.Equal(pending, claim.PendingPath);
        Assert.NotEqual(abandoned, claim.Path);
        Assert.False(File.Exists(abandoned));
        Assert.True(DateTime.UtcNow - File.GetLastWriteTimeUtc(claim.Path) < TimeSpan.FromMinutes(1));
        Assert.Empty(_files.Spool.Candidates());
    }
}
