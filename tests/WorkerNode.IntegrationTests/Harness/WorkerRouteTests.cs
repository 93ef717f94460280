using System.Net;
using System.Text.Json;
using WorkerNode.Harness.Worker;

namespace WorkerNode.IntegrationTests.Harness;

/// <summary>The worker routes over real HTTP, and the state rules they trigger (PROTOCOL.md §4, §8).</summary>
public sealed class WorkerRouteTests
{
    private static readonly object Running = new { nodename = "node1.cluster", process_group_id = "4242", next_report_increment = 279.0, distributor_id = "987" };
    private static readonly object Heartbeat = new { next_report_increment = 279.0, stdout = "/out/task.o987", stderr = "/err/task.e987", distributor_id = "987" };

    [Fact]
    public async Task Log_running_moves_an_instantiated_instance_to_R_and_answers_the_task_instance_array()
    {
        await using var harness = await RunningHarness.StartAsync();
        var id = await harness.CreateTaskInstanceAsync(new
        {
            command = "python run.py --x 1",
            name = "my_task",
            stdout_dir = "/logs/out",
            stderr_dir = "/logs/err",
            workflow_run_id = 7,
            task_id = 8,
            workflow_id = 9,
        });

        var reply = await harness.PostApiAsync($"task_instance/{id}/log_running", Running);

        Assert.Equal(HttpStatusCode.OK, reply.Status);
        Assert.Equal(
            $$"""{"task_instance":[{{id}},"R",7,8,"my_task","python run.py --x 1",9,"/logs/out","/logs/err"]}""",
            reply.Text);
        var instance = await harness.TaskInstanceAsync(id);
        Assert.Equal("R", instance.GetProperty("status").GetString());
        Assert.Equal("node1.cluster", instance.GetProperty("nodename").GetString());
        Assert.Equal("4242", instance.GetProperty("process_group_id").GetString());
        Assert.Equal("987", instance.GetProperty("distributor_id").GetString());
        Assert.Equal(279.0, instance.GetProperty("next_report_increment").GetDouble());
        Assert.Equal(JsonValueKind.String, instance.GetProperty("report_by").ValueKind);
        Assert.Equal(["I", "R"], instance.GetProperty("status_history").EnumerateArray().Select(change => change.GetProperty("to").GetString()));
    }

    [Theory]
    [InlineData("K", "F")]
    [InlineData("X", "E")]
    public async Task Log_running_on_a_lost_instance_answers_its_new_non_running_status(string before, string after)
    {
        await using var harness = await RunningHarness.StartAsync();
        var id = await harness.CreateTaskInstanceInAsync(before);

        var reply = await harness.PostApiAsync($"task_instance/{id}/log_running", Running);

        Assert.Equal(HttpStatusCode.OK, reply.Status);
        Assert.Equal(after, reply.Json().GetProperty("task_instance")[1].GetString());
        Assert.Equal(after, await harness.StatusOfAsync(id));
    }

    [Fact]
    public async Task Log_running_twice_keeps_R_and_overwrites_the_nodename()
    {
        await using var harness = await RunningHarness.StartAsync();
        var id = await harness.CreateTaskInstanceAsync();
        await harness.PostApiAsync($"task_instance/{id}/log_running", Running);

        var reply = await harness.PostApiAsync(
            $"task_instance/{id}/log_running", new { nodename = "node2.cluster", process_group_id = "77", next_report_increment = 279.0 });

        Assert.Equal("R", reply.Json().GetProperty("task_instance")[1].GetString());
        var instance = await harness.TaskInstanceAsync(id);
        Assert.Equal("node2.cluster", instance.GetProperty("nodename").GetString());
        Assert.Equal("77", instance.GetProperty("process_group_id").GetString());
        Assert.Equal("987", instance.GetProperty("distributor_id").GetString());
    }

    [Fact]
    public async Task A_heartbeat_on_a_triaging_instance_moves_it_back_to_R_and_counts()
    {
        await using var harness = await RunningHarness.StartAsync();
        var id = await harness.CreateTaskInstanceInAsync("T");

        Assert.Equal("R", await harness.PostForStatusAsync($"task_instance/{id}/log_report_by", Heartbeat));
        Assert.Equal("R", await harness.PostForStatusAsync($"task_instance/{id}/log_report_by", Heartbeat));

        var instance = await harness.TaskInstanceAsync(id);
        Assert.Equal(2, instance.GetProperty("heartbeat_count").GetInt32());
        Assert.Equal("/out/task.o987", instance.GetProperty("stdout").GetString());
        Assert.Equal(JsonValueKind.String, instance.GetProperty("report_by").ValueKind);
    }

    [Fact]
    public async Task Log_done_from_R_answers_D_and_keeps_the_report()
    {
        await using var harness = await RunningHarness.StartAsync();
        var id = await harness.CreateTaskInstanceInAsync("R");

        var status = await harness.PostForStatusAsync(
            $"task_instance/{id}/log_done", new { stdout = "/o", stderr = "/e", stdout_log = "hello\n", stderr_log = "", nodename = "n", distributor_id = "1" });

        Assert.Equal("D", status);
        var instance = await harness.TaskInstanceAsync(id);
        Assert.Equal("D", instance.GetProperty("status").GetString());
        Assert.Equal("hello\n", instance.GetProperty("stdout_log").GetString());
    }

    [Theory]
    [InlineData("K", "log_report_by", "K")]
    [InlineData("X", "log_report_by", "X")]
    [InlineData("D", "log_report_by", "D")]
    [InlineData("U", "log_report_by", "U")]
    [InlineData("I", "log_done", "I")]
    [InlineData("R", "log_error_worker_node F", "R")]
    [InlineData("K", "log_error_worker_node E", "K")]
    [InlineData("K", "log_error_worker_node Z", "K")]
    [InlineData("U", "log_done", "U")]
    [InlineData("U", "log_error_worker_node E", "U")]
    [InlineData("U", "log_error_worker_node Z", "U")]
    [InlineData("E", "log_error_worker_node E", "E")]
    [InlineData("K", "log_error_worker_node F", "F")]
    [InlineData("K", "log_done", "D")]
    [InlineData("R", "log_error_worker_node Z", "Z")]
    [InlineData("T", "log_error_worker_node E", "E")]
    public async Task A_late_or_final_report_answers_200_with_the_status_the_rules_leave(string before, string report, string after)
    {
        await using var harness = await RunningHarness.StartAsync();
        var id = await harness.CreateTaskInstanceInAsync(before);

        var status = await harness.PostForStatusAsync($"task_instance/{id}/{report.Split(' ')[0]}", ReportBody(report));

        Assert.Equal(after, status);
        Assert.Equal(after, await harness.StatusOfAsync(id));
    }

    [Fact]
    public async Task Log_error_on_a_done_instance_adds_an_error_row_and_keeps_D()
    {
        await using var harness = await RunningHarness.StartAsync();
        var id = await harness.CreateTaskInstanceInAsync("D");

        var status = await harness.PostForStatusAsync(
            $"task_instance/{id}/log_error_worker_node", new { error_state = "E", error_description = "Got exit_code: 3. Error message was: oops\n" });

        Assert.Equal("D", status);
        var row = Assert.Single((await harness.TaskInstanceAsync(id)).GetProperty("error_log").EnumerateArray());
        Assert.Equal("E", row.GetProperty("error_state").GetString());
        Assert.Equal("Got exit_code: 3. Error message was: oops\n", row.GetProperty("description").GetString());
        Assert.Equal(JsonValueKind.String, row.GetProperty("time").ValueKind);
    }

    [Fact]
    public async Task Get_array_task_instance_id_resolves_each_step_of_a_batch()
    {
        await using var harness = await RunningHarness.StartAsync();
        var first = await harness.CreateTaskInstanceAsync(new { command = "a", array_id = 5, batch_number = 2, array_step_id = 0 });
        var second = await harness.CreateTaskInstanceAsync(new { command = "b", array_id = 5, batch_number = 2, array_step_id = 1 });

        var firstReply = await harness.SendAsync(HttpMethod.Get, harness.Api("get_array_task_instance_id/5/2/0"));
        var secondReply = await harness.SendAsync(HttpMethod.Get, harness.Api("get_array_task_instance_id/5/2/1"));

        Assert.Equal($$"""{"task_instance_id":{{first}}}""", firstReply.Text);
        Assert.Equal($$"""{"task_instance_id":{{second}}}""", secondReply.Text);
        var request = Assert.Single(await harness.RequestsOfAsync(second));
        Assert.Equal("get_array_task_instance_id", request.GetProperty("route").GetString());
    }

    [Fact]
    public async Task The_cluster_route_describes_a_slurm_cluster()
    {
        await using var harness = await RunningHarness.StartAsync();

        var reply = await harness.SendAsync(HttpMethod.Get, harness.Api("cluster/slurm-prod"));

        Assert.Equal(HttpStatusCode.OK, reply.Status);
        Assert.Equal("""{"cluster":[1,"slurm-prod","slurm","{}"]}""", reply.Text);
    }

    [Fact]
    public async Task Each_request_is_recorded_with_its_query_structlog_header_and_body()
    {
        await using var harness = await RunningHarness.StartAsync();
        var id = await harness.CreateTaskInstanceAsync();
        const string Structlog = """{"telemetry_task_instance_id": "1", "telemetry_cluster_name": "slurm"}""";

        await harness.SendAsync(
            HttpMethod.Post,
            harness.Api($"task_instance/{id}/log_running?client_jobmon_version=3.4.1"),
            Running,
            configure: request => request.Headers.Add("X-Server-Structlog-Context", Structlog));

        var request = Assert.Single(await harness.RequestsOfAsync(id));
        Assert.Equal("POST", request.GetProperty("method").GetString());
        Assert.Equal("log_running", request.GetProperty("route").GetString());
        Assert.Equal($"/api/v3/task_instance/{id}/log_running", request.GetProperty("path").GetString());
        Assert.Equal("?client_jobmon_version=3.4.1", request.GetProperty("query_string").GetString());
        Assert.Equal("3.4.1", request.GetProperty("client_jobmon_version").GetString());
        Assert.Equal(Structlog, request.GetProperty("structlog_context").GetString());
        Assert.Equal("4242", request.GetProperty("body").GetProperty("process_group_id").GetString());
        Assert.Equal(279.0, request.GetProperty("body").GetProperty("next_report_increment").GetDouble());
        Assert.Equal(200, request.GetProperty("status_code").GetInt32());
        Assert.True(request.GetProperty("applied").GetBoolean());
        Assert.Equal(JsonValueKind.Null, request.GetProperty("fault").ValueKind);
    }

    [Fact]
    public async Task Heartbeats_from_many_workers_at_once_are_all_counted()
    {
        await using var harness = await RunningHarness.StartAsync();
        var ids = new List<long>();
        for (var i = 0; i < 4; i++)
        {
            ids.Add(await harness.CreateTaskInstanceInAsync("R"));
        }

        var beats = ids.SelectMany(id => Enumerable.Range(0, 10).Select(_ => harness.PostForStatusAsync($"task_instance/{id}/log_report_by", Heartbeat)));
        var statuses = await Task.WhenAll(beats);

        Assert.All(statuses, status => Assert.Equal("R", status));
        foreach (var id in ids)
        {
            Assert.Equal(10, (await harness.TaskInstanceAsync(id)).GetProperty("heartbeat_count").GetInt32());
        }
    }

    private static object ReportBody(string report) => report.Split(' ') switch
    {
        [WorkerRouteNames.LogReportBy] => Heartbeat,
        [_, var state] => new { error_state = state, error_description = "failed", stdout_log = "", stderr_log = "boom" },
        _ => new { stdout_log = "", stderr_log = "" },
    };
}
