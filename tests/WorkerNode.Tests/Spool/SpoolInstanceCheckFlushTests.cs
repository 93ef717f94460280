using System.Text;
using WorkerNode.Jobmon;
using WorkerNode.Logging;
using WorkerNode.Reporting;
using WorkerNode.Tests.Jobmon;
using WorkerNode.Tests.Reporting;

namespace WorkerNode.Tests.Spool;

/// <summary>
/// A flush asks the server for a report's instance before it sends it, and sends only to the run the report is about
/// while it still awaits the report (node, distributor id, status); T takes a heartbeat first for a done report.
/// </summary>
public sealed class SpoolInstanceCheckFlushTests : IDisposable
{
    private const long TaskId = 7;
    private readonly SpoolFiles _files = new();
    private readonly MemoryStream _logSink = new();
    private readonly WorkerLog _log;

    public SpoolInstanceCheckFlushTests() => _log = new WorkerLog(_logSink, LogLevel.Debug, LogFormat.Text, TimeProvider.System);

    private string LogText => Encoding.UTF8.GetString(_logSink.ToArray());

    public void Dispose() => _files.Dispose();

    [Fact]
    public async Task AnInstanceOnAnotherNodeIsSetAsideUnsentWithBothNodesInTheErrorLine()
    {
        var file = Add(12);
        var sender = Answering(Instance(12, "RUNNING", nodename: "node9", distributorId: "1234"));

        var result = await Flush(sender);

        Assert.Equal(new SpoolFlushResult(0, 0, 1, 0, 0), result);
        Assert.Empty(sender.Sent);
        Assert.Equal([Path.GetFileName(file) + SpoolDirectory.RejectedSuffix], _files.Names());
        var line = Assert.Single(Lines("ERROR"));
        Assert.Contains("nodename: the report's is node1, the server's instance has node9", line, StringComparison.Ordinal);
        Assert.DoesNotContain("distributor_id:", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnInstanceOfAnotherJobIsSetAsideUnsentWithBothIdsInTheErrorLine()
    {
        Add(12);
        var sender = Answering(Instance(12, "RUNNING", nodename: "node1", distributorId: "999"));

        var result = await Flush(sender);

        Assert.Equal(1, result.Rejected);
        Assert.Empty(sender.Sent);
        var line = Assert.Single(Lines("ERROR"));
        Assert.Contains("distributor_id: the report's is 1234, the server's instance has 999", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AReportWithoutADistributorIdIsCheckedByNodeAndStatusOnly()
    {
        Add(12, FinalReports.Done() with { DistributorId = null });
        var sender = Answering(Instance(12, "RUNNING", nodename: "node1", distributorId: "set-by-the-distributor"));

        var result = await Flush(sender);

        Assert.Equal(1, result.Delivered);
        Assert.Single(sender.Sent);
    }

    [Theory]
    [InlineData("UNKNOWN_ERROR", 'U')]
    [InlineData("NO_HEARTBEAT", 'X')]
    [InlineData("ERROR", 'E')]
    [InlineData("ERROR_FATAL", 'F')]
    [InlineData("RESOURCE_ERROR", 'Z')]
    [InlineData("QUEUED", 'Q')]
    public async Task AnInstanceThatNoLongerAwaitsADoneReportIsSetAsideUnsent(string label, char letter)
    {
        Add(12);
        var sender = Answering(Instance(12, label));

        var result = await Flush(sender);

        Assert.Equal(1, result.Rejected);
        Assert.Empty(sender.Sent);
        Assert.Contains($"is in status {letter} ({label}) on the server, from which it would not accept a report of D", Assert.Single(Lines("ERROR")), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("RUNNING")]
    [InlineData("KILL_SELF")]
    public async Task AnInstanceInROrKTakesTheDoneReport(string label)
    {
        Add(12);
        var sender = Answering(Instance(12, label));

        var result = await Flush(sender);

        Assert.Equal(1, result.Delivered);
        Assert.Single(sender.Sent);
        Assert.Empty(sender.Heartbeats);
        Assert.Equal([(TaskId, 12L)], sender.Lookups);
    }

    [Fact]
    public async Task ADoneReportForAnInstanceInTIsPrecededByOneHeartbeatWithTheReportsOwnFields()
    {
        Add(12);
        var sender = Answering(Instance(12, "TRIAGING"));

        var result = await Flush(sender);

        Assert.Equal(1, result.Delivered);
        Assert.Single(sender.Sent);
        var (id, heartbeat) = Assert.Single(sender.Heartbeats);
        Assert.Equal(12, id);
        Assert.Equal(new HeartbeatReport(SpoolFlusher.RecoveryReportIncrementSeconds, "/out/t.o1", "/err/t.e1", "1234", null), heartbeat);
        Assert.Contains("a heartbeat brought it back to R", LogText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AHeartbeatAnsweredWithAnotherStatusThanRSetsTheReportAside()
    {
        Add(12);
        var sender = new FakeSender((envelope, _) => Task.FromResult(envelope.TargetStatus))
        {
            Lookup = (_, _) => Task.FromResult(TaskInstanceLookup.Found(Instance(12, "TRIAGING"))),
            Heartbeat = (_, _) => Task.FromResult(TaskInstanceStatus.UnknownError),
        };

        var result = await Flush(sender);

        Assert.Equal(1, result.Rejected);
        Assert.Empty(sender.Sent);
        Assert.Contains("answered a heartbeat with status U, not R", Assert.Single(Lines("ERROR")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnErrorReportForAnInstanceInTGoesWithoutAHeartbeat()
    {
        Add(12, FinalReports.Error());
        var sender = Answering(Instance(12, "TRIAGING"));

        var result = await Flush(sender);

        Assert.Equal(1, result.Delivered);
        Assert.Single(sender.Sent);
        Assert.Empty(sender.Heartbeats);
    }

    [Fact]
    public async Task AnErrorReportTheServerAlreadyRecordedIsNotSentAgain()
    {
        var file = Add(12, FinalReports.Error());
        var sender = Answering(Instance(12, "ERROR"));

        var result = await Flush(sender);

        Assert.Equal(new SpoolFlushResult(1, 0, 0, 0, 0), result);
        Assert.Empty(sender.Sent);
        Assert.False(File.Exists(file));
        Assert.Contains("already recorded, not sent again", LogText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnInstanceTheTaskDoesNotHaveIsSetAsideUnsent()
    {
        Add(12);
        var sender = new FakeSender((envelope, _) => Task.FromResult(envelope.TargetStatus))
        {
            Lookup = (_, _) => Task.FromResult(TaskInstanceLookup.Absent),
        };

        var result = await Flush(sender);

        Assert.Equal(1, result.Rejected);
        Assert.Empty(sender.Sent);
        Assert.Contains($"task {TaskId} has no task instance 12 on the server", Assert.Single(Lines("ERROR")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AServerWithoutTheRouteIsAskedOnceAndItsReportsAreDeliveredAsBefore()
    {
        Add(12);
        Add(13);
        var sender = new FakeSender((envelope, _) => Task.FromResult(envelope.TargetStatus));

        var result = await Flush(sender);

        Assert.Equal(2, result.Delivered);
        Assert.Equal(2, sender.Sent.Count);
        Assert.Single(sender.Lookups);
        Assert.Single(Lines("DEBUG", "does not offer the task instance details route"));
        Assert.Empty(Lines("WARN"));
        Assert.Empty(Lines("ERROR"));
    }

    [Fact]
    public async Task AServerThatCannotBeReachedForTheCheckKeepsTheReportUnsent()
    {
        var file = Add(12);
        var sender = new FakeSender((envelope, _) => Task.FromResult(envelope.TargetStatus))
        {
            Lookup = (_, _) => throw new ServerUnreachableException("cannot reach the Jobmon server at http://jobmon.example:8070/api/v3: 3 attempts"),
        };

        var result = await Flush(sender);

        Assert.Equal(new SpoolFlushResult(0, 1, 0, 0, 0), result);
        Assert.Empty(sender.Sent);
        Assert.Equal([Path.GetFileName(file)], _files.Names());
    }

    [Fact]
    public async Task AReportWrittenWithoutItsTaskIdIsSentUnchecked()
    {
        _files.Add(12);
        var sender = Answering(Instance(12, "DONE", nodename: "elsewhere"));

        var result = await Flush(sender);

        Assert.Equal(1, result.Delivered);
        Assert.Single(sender.Sent);
        Assert.Empty(sender.Lookups);
    }

    private string Add(long taskInstanceId, FinalReport? report = null) =>
        _files.Spool.Write(SpoolFiles.Report(taskInstanceId, report, taskId: TaskId));

    private static ServerTaskInstance Instance(long id, string label, string? nodename = "node1", string? distributorId = "1234") =>
        new(id, StatusOf(label), label, nodename, distributorId);

    private static TaskInstanceStatus? StatusOf(string label) => label switch
    {
        "RUNNING" => TaskInstanceStatus.Running,
        "TRIAGING" => TaskInstanceStatus.Triaging,
        "KILL_SELF" => TaskInstanceStatus.KillSelf,
        "DONE" => TaskInstanceStatus.Done,
        "ERROR" => TaskInstanceStatus.Error,
        "ERROR_FATAL" => TaskInstanceStatus.Fatal,
        "RESOURCE_ERROR" => TaskInstanceStatus.ResourceError,
        "UNKNOWN_ERROR" => TaskInstanceStatus.UnknownError,
        "NO_HEARTBEAT" => TaskInstanceStatus.NoHeartbeat,
        "QUEUED" => TaskInstanceStatus.Queued,
        _ => null,
    };

    private static FakeSender Answering(ServerTaskInstance instance) =>
        new((envelope, _) => Task.FromResult(envelope.TargetStatus))
        {
            Lookup = (_, id) => Task.FromResult(id == instance.TaskInstanceId ? TaskInstanceLookup.Found(instance) : TaskInstanceLookup.Absent),
        };

    private string[] Lines(string level, string text = "") =>
        [.. LogText.Split('\n').Where(line => line.Contains(level, StringComparison.Ordinal) && line.Contains(text, StringComparison.Ordinal))];

    private Task<SpoolFlushResult> Flush(FakeSender sender) =>
        new SpoolFlusher(_files.Spool, _ => sender, _log, TimeProvider.System).FlushAsync(10, CancellationToken.None);
}
