using System.Text.Json;
using WorkerNode.Jobmon;
using WorkerNode.Jobmon.Wire;

namespace WorkerNode.Tests.Jobmon;

/// <summary>The request bodies field by field (PROTOCOL.md §4), and the spool envelope.</summary>
public sealed class WireFormatTests
{
    [Fact]
    public void LogRunning() =>
        AssertFields(
            JsonSerializer.Serialize(LogRunningBody.From(new RunningReport("node1", 4242, 279.0, "1234_5")), JobmonJsonContext.Default.LogRunningBody),
            ("nodename", "\"node1\""), ("process_group_id", "\"4242\""), ("next_report_increment", "279"), ("distributor_id", "\"1234_5\""));

    [Fact]
    public void LogRunningWithoutADistributorIdLeavesItOut() =>
        AssertFields(
            JsonSerializer.Serialize(LogRunningBody.From(new RunningReport("node1", 4242, 279.5, null)), JobmonJsonContext.Default.LogRunningBody),
            ("nodename", "\"node1\""), ("process_group_id", "\"4242\""), ("next_report_increment", "279.5"));

    [Fact]
    public void LogReportByWithUsage() =>
        AssertFields(
            JsonSerializer.Serialize(new LogReportByBody(new HeartbeatReport(279, "/o/t.o1", "/e/t.e1", "1234", FinalReports.Usage)), JobmonJsonContext.Default.LogReportByBody),
            ("next_report_increment", "279"), ("stdout", "\"/o/t.o1\""), ("stderr", "\"/e/t.e1\""), ("distributor_id", "\"1234\""),
            ("wallclock", "\"12.5\""), ("maxrss", "\"1048576\""), ("cpu", "\"3.25\""), ("io", "\"4096\""), ("usage_str", "\"wallclock 12.5 s, maxrss 1 MiB\""));

    [Fact]
    public void LogReportByWithoutUsageOrDistributorId() =>
        AssertFields(
            JsonSerializer.Serialize(new LogReportByBody(new HeartbeatReport(279, "/o", "/e", null, null)), JobmonJsonContext.Default.LogReportByBody),
            ("next_report_increment", "279"), ("stdout", "\"/o\""), ("stderr", "\"/e\""));

    [Fact]
    public void LogDoneEnvelope()
    {
        var envelope = FinalReportEnvelope.Create(12, FinalReports.Done(FinalReports.Usage));

        Assert.Equal((12L, "log_done", TaskInstanceStatus.Done), (envelope.TaskInstanceId, envelope.Route, envelope.TargetStatus));
        AssertFields(
            envelope.Body,
            ("stdout", "\"/out/t.o1\""), ("stderr", "\"/err/t.e1\""), ("stdout_log", "\"hello\\n\""), ("stderr_log", "\"\""),
            ("nodename", "\"node1\""), ("distributor_id", "\"1234\""),
            ("wallclock", "\"12.5\""), ("maxrss", "\"1048576\""), ("cpu", "\"3.25\""), ("io", "\"4096\""), ("usage_str", "\"wallclock 12.5 s, maxrss 1 MiB\""));
    }

    [Fact]
    public void LogErrorWorkerNodeEnvelope()
    {
        var envelope = FinalReportEnvelope.Create(12, FinalReports.Error(distributorId: null));

        Assert.Equal((12L, "log_error_worker_node", TaskInstanceStatus.Error), (envelope.TaskInstanceId, envelope.Route, envelope.TargetStatus));
        AssertFields(
            envelope.Body,
            ("error_state", "\"E\""), ("error_description", "\"Got exit_code: 3. Error message was: oops\\n\""),
            ("stdout_log", "\"out\""), ("stderr_log", "\"oops\""), ("stdout", "\"/out/t.o1\""), ("stderr", "\"/err/t.e1\""), ("nodename", "\"node1\""));
    }

    [Fact]
    public void TheEnvelopeGoesToTheSpoolAndComesBackEqual()
    {
        var envelope = FinalReportEnvelope.Create(12, FinalReports.Error());

        var json = envelope.ToJson();

        AssertFields(json, ("task_instance_id", "12"), ("route", "\"log_error_worker_node\""), ("target_status", "\"E\""), ("body", JsonSerializer.Serialize(envelope.Body)));
        Assert.Equal(envelope, FinalReportEnvelope.FromJson(json));
    }

    [Theory]
    [InlineData("""{"task_instance_id": 12, "route": "log_done", "target_status": "D"}""")]
    [InlineData("""{"task_instance_id": 12, "route": "log_done", "target_status": "done", "body": "{}"}""")]
    [InlineData("""{"task_instance_id": 12, "route": null, "target_status": "D", "body": "{}"}""")]
    [InlineData("null")]
    public void ADamagedSpoolEnvelopeIsRefused(string json) =>
        Assert.ThrowsAny<JsonException>(() => FinalReportEnvelope.FromJson(json));

    /// <summary>Exactly these fields (names and raw JSON values), in any order.</summary>
    private static void AssertFields(string json, params (string Name, string Value)[] expected)
    {
        using var document = JsonDocument.Parse(json);
        var actual = document.RootElement.EnumerateObject().Select(property => (property.Name, property.Value.GetRawText())).OrderBy(field => field.Name);
        Assert.Equal(expected.OrderBy(field => field.Name), actual);
    }
}
