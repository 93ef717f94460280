using System.Text.Json;
using System.Text.Json.Nodes;
using WorkerNode.Reporting;
using WorkerNode.Tests.Jobmon;

namespace WorkerNode.Tests.Reporting;

/// <summary>The spool file's JSON: everything needed to resend, and nothing half-read.</summary>
public sealed class SpooledReportTests
{
    [Fact]
    public void AReportGoesToTheFileAndComesBackEqual()
    {
        var report = SpoolFiles.Report(12, FinalReports.Error());

        var json = JsonNode.Parse(report.ToUtf8Json())!.AsObject();

        Assert.Equal(
            ["spool_format", "report", "server", "cluster_name", "created_at", "host", "pid", "reason"],
            json.Select(property => property.Key));
        Assert.Equal(1, json["spool_format"]!.GetValue<int>());
        Assert.Equal("log_error_worker_node", json["report"]!["route"]!.GetValue<string>());
        Assert.Equal("E", json["report"]!["target_status"]!.GetValue<string>());
        Assert.Equal("http://jobmon.example:8070", json["server"]!["service_url"]!.GetValue<string>());
        Assert.Equal("/api/v3", json["server"]!["route_prefix"]!.GetValue<string>());
        Assert.Equal("3.4.0", json["server"]!["expected_jobmon_version"]!.GetValue<string>());
        Assert.Equal(Environment.ProcessId, json["pid"]!.GetValue<int>());
        Assert.Equal(report, SpooledReport.FromJson(json.ToJsonString()));
    }

    [Theory]
    [InlineData("spool_format", "2")]
    [InlineData("server", "null")]
    [InlineData("reason", null)]
    [InlineData("server.service_url", "\"ftp://jobmon.example\"")]
    [InlineData("report.route", "\"log_running\"")]
    [InlineData("report.target_status", "\"done\"")]
    public void ADamagedFileIsRefused(string field, string? value)
    {
        var json = JsonNode.Parse(SpoolFiles.Report().ToUtf8Json())!.AsObject();
        var parts = field.Split('.');
        var parent = parts.Length == 1 ? json : json[parts[0]]!.AsObject();
        if (value is null)
        {
            parent.Remove(parts[^1]);
        }
        else
        {
            parent[parts[^1]] = JsonNode.Parse(value);
        }

        Assert.ThrowsAny<JsonException>(() => SpooledReport.FromJson(json.ToJsonString()));
    }
}
