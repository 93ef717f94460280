using System.Net;
using System.Text.Json;
using WorkerNode.Harness.Hosting;
using WorkerNode.IntegrationTests.Harness;

namespace WorkerNode.IntegrationTests.Spool;

/// <summary>
/// The harness's GET /task/get_ti_details_viz/{task_id}, shaped as the real server's (routes/v3/cli/task.py): every
/// instance of the task, status labels, one row per error-log entry; read-only; faults apply; left out on request.
/// </summary>
public sealed class TaskInstanceDetailsRouteTests
{
    [Fact]
    public async Task EveryInstanceOfTheTaskWithItsLabelNodeAndJobOneRowPerErrorLogEntry()
    {
        await using var harness = await RunningHarness.StartAsync();
        var first = await harness.CreateTaskInstanceAsync(new { command = "true", task_id = 40 });
        var second = await harness.CreateTaskInstanceAsync(new { command = "true", task_id = 40 });
        await harness.CreateTaskInstanceAsync(new { command = "true", task_id = 41 });
        await LogRunningAsync(harness, first, "node1", "4242");
        await LogRunningAsync(harness, second, "node2", "4343");
        await harness.PostForStatusAsync($"task_instance/{first}/log_error_worker_node", new { error_state = "E", error_description = "one" });
        await harness.PostForStatusAsync($"task_instance/{first}/log_error_worker_node", new { error_state = "E", error_description = "two" });
        await harness.SetStatusAsync(second, "T");
        var before = await harness.TaskInstanceAsync(second);

        var reply = await harness.SendAsync(HttpMethod.Get, harness.Api("task/get_ti_details_viz/40"));

        Assert.Equal(HttpStatusCode.OK, reply.Status);
        var rows = reply.Json().GetProperty("taskinstances").EnumerateArray().ToArray();
        Assert.Equal(
            [(first, "ERROR", "node1", "4242", "one"), (first, "ERROR", "node1", "4242", "two"), (second, "TRIAGING", "node2", "4343", null)],
            rows.Select(row => (
                row.GetProperty("ti_id").GetInt64(),
                row.GetProperty("ti_status").GetString(),
                row.GetProperty("ti_nodename").GetString(),
                row.GetProperty("ti_distributor_id").GetString(),
                row.GetProperty("ti_error_log_description").GetString())));
        Assert.Equal(
            ["ti_id", "ti_status", "ti_stdout", "ti_stderr", "ti_stdout_log", "ti_stderr_log", "ti_distributor_id", "ti_nodename",
             "ti_error_log_description", "ti_wallclock", "ti_maxrss", "ti_resources", "ti_submit_date", "ti_status_date", "ti_queue_name"],
            rows[0].EnumerateObject().Select(property => property.Name));

        // Read-only: the instance is as it was (but for the request record).
        var after = await harness.TaskInstanceAsync(second);
        Assert.Equal(before.GetProperty("status_history").GetRawText(), after.GetProperty("status_history").GetRawText());
        Assert.Equal(before.GetProperty("heartbeat_count").GetInt32(), after.GetProperty("heartbeat_count").GetInt32());
        Assert.Contains(await harness.RequestsAsync(), request => request.GetProperty("route").GetString() == "get_ti_details_viz");
    }

    [Fact]
    public async Task AnUnknownTaskIsAnEmptyListAndABadIdA422()
    {
        await using var harness = await RunningHarness.StartAsync();

        var unknown = await harness.SendAsync(HttpMethod.Get, harness.Api("task/get_ti_details_viz/999"));
        var bad = await harness.SendAsync(HttpMethod.Get, harness.Api("task/get_ti_details_viz/abc"));

        Assert.Equal(HttpStatusCode.OK, unknown.Status);
        Assert.Equal(0, unknown.Json().GetProperty("taskinstances").GetArrayLength());
        Assert.Equal(HttpStatusCode.UnprocessableEntity, bad.Status);
    }

    [Fact]
    public async Task AFaultOnTheRouteSpoilsIt()
    {
        await using var harness = await RunningHarness.StartAsync();
        await harness.ArmFaultAsync(new { route = "get_ti_details_viz", mode = "status", status_code = 503 });

        var spoiled = await harness.SendAsync(HttpMethod.Get, harness.Api("task/get_ti_details_viz/1"));
        var next = await harness.SendAsync(HttpMethod.Get, harness.Api("task/get_ti_details_viz/1"));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, spoiled.Status);
        Assert.Equal(HttpStatusCode.OK, next.Status);
    }

    [Fact]
    public async Task WithoutTheRouteItIsA404AsOnAnOlderServer()
    {
        await using var harness = await RunningHarness.StartAsync(new HarnessOptions { WithoutTaskInstanceDetails = true });

        var reply = await harness.SendAsync(HttpMethod.Get, harness.Api("task/get_ti_details_viz/1"));

        Assert.Equal(HttpStatusCode.NotFound, reply.Status);
        Assert.True(HarnessCommandLine.Parse(["--without-ti-details"]).Options.WithoutTaskInstanceDetails);
    }

    private static async Task LogRunningAsync(RunningHarness harness, long id, string nodename, string distributorId)
    {
        var reply = await harness.PostApiAsync($"task_instance/{id}/log_running", new { nodename, distributor_id = distributorId, process_group_id = "1", next_report_increment = 100.0 });
        Assert.Equal(HttpStatusCode.OK, reply.Status);
    }
}
