using System.Text;
using System.Text.Json.Nodes;
using WorkerNode.Jobmon;
using WorkerNode.Jobmon.Wire;
using WorkerNode.Reporting;
using WorkerNode.Tests.Reporting;

namespace WorkerNode.Tests.Spool;

/// <summary>
/// What the check needs from a spool file (its task id, its node and distributor id) and from the server's details
/// route (the instance's row among its task's, the status label turned into a letter).
/// </summary>
public sealed class SpooledTaskIdTests
{
    [Fact]
    public void TheTaskIdIsWrittenAndReadBack()
    {
        var report = SpoolFiles.Report(12, taskId: 7);

        var json = JsonNode.Parse(report.ToUtf8Json())!.AsObject();

        Assert.Equal(7, json["task_id"]!.GetValue<long>());
        Assert.Equal(report, SpooledReport.FromJson(json.ToJsonString()));
    }

    [Fact]
    public void AFileWrittenWithoutATaskIdIsStillReadAndWrittenAsBefore()
    {
        var json = JsonNode.Parse(SpoolFiles.Report(12).ToUtf8Json())!.AsObject();

        Assert.False(json.ContainsKey("task_id"));
        Assert.Null(SpooledReport.FromJson(json.ToJsonString()).TaskId);
    }

    [Fact]
    public void TheReportedNodeDistributorIdAndPathsComeFromTheBody()
    {
        var envelope = FinalReportEnvelope.Create(12, Jobmon.FinalReports.Done());

        Assert.Equal(new ReportedRun("node1", "1234", "/out/t.o1", "/err/t.e1"), envelope.Reported());
        Assert.Equal(new ReportedRun("node1", null, "/out/t.o1", "/err/t.e1"), FinalReportEnvelope.Create(12, Jobmon.FinalReports.Error(distributorId: null)).Reported());
        Assert.Equal(new ReportedRun(null, null, "", ""), (envelope with { Body = "[1]" }).Reported());
    }

    [Fact]
    public void TheDetailsAnswerGivesTheInstancesRowWhicheverErrorLogRowsItHas()
    {
        const string body = """
            {"taskinstances": [
              {"ti_id": 11, "ti_status": "ERROR", "ti_nodename": "n0", "ti_distributor_id": "1", "ti_error_log_description": "a"},
              {"ti_id": 12, "ti_status": "TRIAGING", "ti_nodename": "node1", "ti_distributor_id": 4242, "ti_error_log_description": "first"},
              {"ti_id": 12, "ti_status": "TRIAGING", "ti_nodename": "node1", "ti_distributor_id": 4242, "ti_error_log_description": "second"}
            ]}
            """;

        var lookup = AnswerParser.TaskInstanceDetails(Encoding.UTF8.GetBytes(body), 12);

        Assert.Equal(new ServerTaskInstance(12, TaskInstanceStatus.Triaging, "TRIAGING", "node1", "4242"), lookup.Instance);
        Assert.True(lookup.IsOffered);
    }

    [Theory]
    [InlineData("""{"taskinstances": []}""")]
    [InlineData("""{"taskinstances": [{"ti_id": 11, "ti_status": "RUNNING", "ti_nodename": null, "ti_distributor_id": null}]}""")]
    public void AnAnswerWithoutTheInstanceSaysAbsent(string body)
    {
        var lookup = AnswerParser.TaskInstanceDetails(Encoding.UTF8.GetBytes(body), 12);

        Assert.Same(TaskInstanceLookup.Absent, lookup);
    }

    [Theory]
    [InlineData("""{"status": "R"}""")]
    [InlineData("""{"taskinstances": {}}""")]
    [InlineData("""{"taskinstances": [{"ti_id": 12, "ti_status": 3, "ti_nodename": null, "ti_distributor_id": null}]}""")]
    [InlineData("""{"taskinstances": [{"ti_id": 12, "ti_status": "RUNNING", "ti_distributor_id": null}]}""")]
    public void AnAnswerOfAnotherShapeIsAFormatError(string body) =>
        Assert.Throws<FormatException>(() => AnswerParser.TaskInstanceDetails(Encoding.UTF8.GetBytes(body), 12));

    [Theory]
    [InlineData("RUNNING", 'R')]
    [InlineData("TRIAGING", 'T')]
    [InlineData("KILL_SELF", 'K')]
    [InlineData("DONE", 'D')]
    [InlineData("ERROR_FATAL", 'F')]
    [InlineData("RESOURCE_ERROR", 'Z')]
    [InlineData("NO_HEARTBEAT", 'X')]
    [InlineData("UNKNOWN_ERROR", 'U')]
    [InlineData("NO_DISTRIBUTOR_ID", 'W')]
    [InlineData("R", 'R')]
    public void StatusLabelsBecomeLetters(string label, char letter) =>
        Assert.Equal(new TaskInstanceStatus(letter), StatusLabels.ToStatus(label));

    [Fact]
    public void AnUnknownLabelIsNoLetterAndTheServerDecides()
    {
        Assert.Null(StatusLabels.ToStatus("PAUSED"));
        var verdict = SpoolInstanceCheck.Judge(
            FinalReportEnvelope.Create(12, Jobmon.FinalReports.Done()),
            new ServerTaskInstance(12, null, "PAUSED", "node1", "1234"));
        Assert.Equal(SpoolCheckAction.Send, verdict.Action);
    }
}
