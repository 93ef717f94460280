using WorkerNode.Reporting;
using WorkerNode.Tests.Reporting;

namespace WorkerNode.Tests.Spool;

/// <summary>
/// The cheap check a worker's start-up flush makes before it locks anything (is there anything a flush
/// could send?), and the node's flush lock as <c>spool flush</c> uses it (busy, or unusable).
/// </summary>
public sealed class SpoolEmptinessAndLockTests : IDisposable
{
    private readonly SpoolFiles _files = new();

    public void Dispose() => _files.Dispose();

    [Fact]
    public void NoDirectoryHoldsNothing()
    {
        Assert.False(_files.Spool.MayHoldCandidates());
        Assert.False(Directory.Exists(_files.Path));
    }

    [Fact]
    public void LockDirectoriesTemporariesAndRejectedReportsAreNothingToFlush()
    {
        var pending = _files.Add(1);
        File.Move(pending, pending + SpoolDirectory.RejectedSuffix);
        using (var held = _files.Spool.TryLockFlush())
        {
            Assert.NotNull(held);
        }

        Directory.CreateDirectory(Path.Combine(_files.Path, ".flush-othernode-1000"));
        File.WriteAllText(Path.Combine(_files.Path, ".2-log_done.json.77.tmp"), "{");

        Assert.False(_files.Spool.MayHoldCandidates());
        Assert.Empty(_files.Spool.Candidates());
    }

    [Theory]
    [InlineData("7-log_done-20261203T000000.000Z-node-1.json")]
    [InlineData("7-log_done-20261203T000000.000Z-node-1.json.claimed-node-99")]
    public void APendingReportOrAClaimOfAnyAgeMayNeedAFlush(string name)
    {
        Directory.CreateDirectory(_files.Path);
        File.WriteAllText(Path.Combine(_files.Path, name), "{}");

        Assert.True(_files.Spool.MayHoldCandidates());
    }

    [Fact]
    public void AReportAfterManyEntriesIsFoundAndManyRejectedOnesAloneAreNothing()
    {
        // More names than one getdents64 buffer holds: the check must read on to the end.
        Directory.CreateDirectory(_files.Path);
        for (var i = 0; i < 400; i++)
        {
            File.WriteAllText(Path.Combine(_files.Path, $"{i}-log_error_worker_node-20261203T000000.000Z-node-1.json{SpoolDirectory.RejectedSuffix}"), "{}");
        }

        Assert.False(_files.Spool.MayHoldCandidates());

        _files.Add(999);
        Assert.True(_files.Spool.MayHoldCandidates());
    }

    [Fact]
    public void ASpoolPathThatIsAFileHoldsNothing()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(_files.Path)!);
        File.WriteAllText(_files.Path, "not a directory");

        Assert.False(_files.Spool.MayHoldCandidates());
    }

    [Fact]
    public void AHeldLockIsBusyNotUnusable()
    {
        Directory.CreateDirectory(_files.Path);
        using var first = _files.Spool.TryLockFlush(out var firstProblem);
        Assert.NotNull(first);
        Assert.Null(firstProblem);

        // flock: a second open file description conflicts even in the same process.
        Assert.Null(_files.Spool.TryLockFlush(out var problem));
        Assert.Null(problem);

        first!.Dispose();
        using var again = _files.Spool.TryLockFlush(out _);
        Assert.NotNull(again);
    }

    [Fact]
    public void ALockThatIsNotADirectoryIsUnusableWithAReason()
    {
        Directory.CreateDirectory(_files.Path);
        File.WriteAllText(_files.Spool.FlushLockPath, "planted");

        Assert.Null(_files.Spool.TryLockFlush(out var problem));

        Assert.NotNull(problem);
        Assert.Contains("is not a directory of this user", problem, StringComparison.Ordinal);
    }
}
