using WorkerNode.Jobmon;
using WorkerNode.Reporting;
using WorkerNode.Tests.Jobmon;

namespace WorkerNode.Tests.Spool;

/// <summary>The verdict for each report target and instance status: the server's table (PROTOCOL.md §8) for a final report.</summary>
public sealed class SpoolInstanceCheckJudgeTests
{
    [Theory]
    [InlineData('D', 'R', SpoolCheckAction.Send)]
    [InlineData('D', 'K', SpoolCheckAction.Send)]
    [InlineData('D', 'T', SpoolCheckAction.HeartbeatFirst)]
    [InlineData('D', 'D', SpoolCheckAction.AlreadyRecorded)]
    [InlineData('D', 'U', SpoolCheckAction.SetAside)]
    [InlineData('D', 'O', SpoolCheckAction.SetAside)]
    [InlineData('E', 'R', SpoolCheckAction.Send)]
    [InlineData('E', 'T', SpoolCheckAction.Send)]
    [InlineData('E', 'E', SpoolCheckAction.AlreadyRecorded)]
    [InlineData('E', 'K', SpoolCheckAction.SetAside)]
    [InlineData('E', 'D', SpoolCheckAction.SetAside)]
    [InlineData('Z', 'T', SpoolCheckAction.Send)]
    [InlineData('Z', 'X', SpoolCheckAction.SetAside)]
    [InlineData('F', 'K', SpoolCheckAction.Send)]
    [InlineData('F', 'R', SpoolCheckAction.SetAside)]
    [InlineData('F', 'T', SpoolCheckAction.SetAside)]
    [InlineData('F', 'F', SpoolCheckAction.AlreadyRecorded)]
    public void TheVerdictFollowsTheServersTable(char target, char status, SpoolCheckAction expected)
    {
        var report = target == 'D'
            ? FinalReports.Done()
            : FinalReports.Error() with { ErrorState = new TaskInstanceStatus(target) };

        var verdict = SpoolInstanceCheck.Judge(
            FinalReportEnvelope.Create(12, report),
            new ServerTaskInstance(12, new TaskInstanceStatus(status), "LABEL", "node1", "1234"));

        Assert.Equal(expected, verdict.Action);
    }

    [Fact]
    public void NodeAndJobAreComparedBeforeTheStatusAndBothMismatchesAreNamed()
    {
        var verdict = SpoolInstanceCheck.Judge(
            FinalReportEnvelope.Create(12, FinalReports.Done()),
            new ServerTaskInstance(12, TaskInstanceStatus.Done, "DONE", null, "77"));

        Assert.Equal(SpoolCheckAction.SetAside, verdict.Action);
        Assert.Equal(
            "task instance 12 on the server is not the run this report is about (nodename: the report's is node1, the server's instance has none; distributor_id: the report's is 1234, the server's instance has 77)",
            verdict.Reason);
    }
}
