using System.Text;
using WorkerNode.Jobmon;
using WorkerNode.Logging;
using WorkerNode.Reporting;

namespace WorkerNode.Tests.Reporting;

/// <summary>What a flush does with each answer: delete, keep, reject; and its limits.</summary>
public sealed class SpoolFlusherTests : IDisposable
{
    private readonly SpoolFiles _files = new();
    private readonly MemoryStream _logSink = new();
    private readonly WorkerLog _log;

    public SpoolFlusherTests() => _log = new WorkerLog(_logSink, LogLevel.Debug, LogFormat.Text, TimeProvider.System);

    private string LogText => Encoding.UTF8.GetString(_logSink.ToArray());

    public void Dispose() => _files.Dispose();

    [Fact]
    public async Task TheTargetStatusAnsweredMeansDeliveredAndTheFileGoes()
    {
        _files.Add(12);
        var sender = new FakeSender((envelope, _) => Task.FromResult(envelope.TargetStatus));

        var result = await Flush(sender);

        Assert.Equal(new SpoolFlushResult(1, 0, 0, 0, 0), result);
        Assert.Equal([12L], sender.Sent.Select(envelope => envelope.TaskInstanceId));
        Assert.Empty(_files.Names());
        Assert.Contains("spooled report delivered", LogText, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData('U')]
    [InlineData('X')]
    [InlineData('R')]
    [InlineData('E')]
    public async Task AnyOtherStatusMeansRefusedAndTheFileIsRejected(char answered)
    {
        var file = _files.Add(12);
        var sender = new FakeSender((_, _) => Task.FromResult(new TaskInstanceStatus(answered)));

        var result = await Flush(sender);

        Assert.Equal(new SpoolFlushResult(0, 0, 1, 0, 0), result);
        Assert.Equal([Path.GetFileName(file) + SpoolDirectory.RejectedSuffix], _files.Names());
        Assert.Contains($"answered status {answered} instead of D", LogText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnUnknownInstanceIsRejected()
    {
        _files.Add(999);
        var sender = new FakeSender((_, _) => throw new UnknownTaskInstanceException("task instance 999 is unknown to the server"));

        var result = await Flush(sender);

        Assert.Equal(1, result.Rejected);
        Assert.EndsWith(SpoolDirectory.RejectedSuffix, Assert.Single(_files.Names()), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnUnreachableServerKeepsItsReportsAndIsNotTriedAgainInTheSameFlush()
    {
        _files.Add(1);
        _files.Add(2);
        var elsewhere = SpoolFiles.Server with { ServiceUrl = "http://other.example:8070" };
        _files.Add(3, elsewhere);
        var sender = new FakeSender((envelope, _) => envelope.TaskInstanceId == 3
            ? Task.FromResult(envelope.TargetStatus)
            : throw new ServerUnreachableException("cannot reach the Jobmon server"));

        var result = await Flush(sender);

        Assert.Equal(new SpoolFlushResult(1, 2, 0, 0, 0), result);
        Assert.Equal(2, sender.Sent.Count);
        Assert.Equal(2, _files.Spool.Candidates().Count);
        Assert.All(_files.Names(), name => Assert.EndsWith(SpoolDirectory.PendingExtension, name, StringComparison.Ordinal));
    }

    [Fact]
    public async Task AReportNotForThisFlusherIsLeftPending()
    {
        var file = _files.Add(12);
        var sender = new FakeSender((envelope, _) => Task.FromResult(envelope.TargetStatus));

        var result = await new SpoolFlusher(_files.Spool, _ => null, _log, TimeProvider.System).FlushAsync(10, CancellationToken.None);

        Assert.Equal(new SpoolFlushResult(0, 0, 0, 0, 1), result);
        Assert.Equal([file], _files.Spool.Candidates());
        Assert.Empty(sender.Sent);
    }

    [Fact]
    public async Task AtMostMaxSendsAreSent()
    {
        for (var id = 1; id <= 5; id++)
        {
            _files.Add(id);
        }

        var sender = new FakeSender((envelope, _) => Task.FromResult(envelope.TargetStatus));

        var result = await Flush(sender, maxSends: 2);

        Assert.Equal(2, result.Delivered);
        Assert.Equal(3, _files.Spool.Candidates().Count);
    }

    [Fact]
    public async Task ACancelledFlushReleasesTheReportInFlight()
    {
        var file = _files.Add(12);
        using var cancel = new CancellationTokenSource();
        var sender = new FakeSender(async (_, token) =>
        {
            await cancel.CancelAsync();
            await Task.Delay(Timeout.Infinite, token);
            return TaskInstanceStatus.Done;
        });

        var result = await Flush(sender, cancellationToken: cancel.Token);

        Assert.Equal(new SpoolFlushResult(0, 1, 0, 0, 0), result);
        Assert.Equal([file], _files.Spool.Candidates());
    }

    [Fact]
    public async Task ADamagedFileIsRejectedWithoutBeingSent()
    {
        Directory.CreateDirectory(_files.Path);
        File.WriteAllText(Path.Combine(_files.Path, "7-log_done-x.json"), "{\"spool_format\": 1}");
        var sender = new FakeSender((envelope, _) => Task.FromResult(envelope.TargetStatus));

        var result = await Flush(sender);

        Assert.Equal(1, result.Rejected);
        Assert.Empty(sender.Sent);
        Assert.Equal(["7-log_done-x.json.rejected"], _files.Names());
    }

    [Fact]
    public async Task AFileClaimedMeanwhileByAnotherFlusherIsLeftToIt()
    {
        var first = _files.Add(1);
        File.SetLastWriteTimeUtc(first, DateTime.UtcNow.AddMinutes(-1));
        var second = _files.Add(2);
        var other = new SpoolDirectory(_files.Path, TimeProvider.System);
        var sender = new FakeSender((envelope, _) =>
        {
            // While the first report is in flight, another flusher claims the second, already listed.
            Assert.NotNull(other.TryClaim(second));
            return Task.FromResult(envelope.TargetStatus);
        });

        var result = await Flush(sender);

        Assert.Equal(new SpoolFlushResult(1, 0, 0, 1, 0), result);
        Assert.Equal([1L], sender.Sent.Select(envelope => envelope.TaskInstanceId));
        Assert.Contains("taken by another flusher", LogText, StringComparison.Ordinal);
    }

    private Task<SpoolFlushResult> Flush(FakeSender sender, int maxSends = 10, CancellationToken cancellationToken = default) =>
        new SpoolFlusher(_files.Spool, _ => sender, _log, TimeProvider.System).FlushAsync(maxSends, cancellationToken);
}
