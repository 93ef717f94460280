using System.Net;
using System.Text.Json;

namespace WorkerNode.IntegrationTests.Harness;

/// <summary>The admin API that tests use to set the scene and read what workers did.</summary>
public sealed class AdminApiTests
{
    [Fact]
    public async Task Creating_with_only_a_command_fills_sensible_defaults_and_numbers_from_1()
    {
        await using var harness = await RunningHarness.StartAsync();

        var first = await harness.CreateTaskInstanceAsync(new { command = "true" });
        var second = await harness.CreateTaskInstanceAsync(new { command = "false" });

        Assert.Equal((1, 2), (first, second));
        var instance = await harness.TaskInstanceAsync(second);
        Assert.Equal("false", instance.GetProperty("command").GetString());
        Assert.Equal("task_2", instance.GetProperty("name").GetString());
        Assert.Equal("I", instance.GetProperty("status").GetString());
        Assert.Equal("", instance.GetProperty("stdout_dir").GetString());
        Assert.Equal("", instance.GetProperty("stderr_dir").GetString());
        Assert.Equal(1, instance.GetProperty("workflow_run_id").GetInt64());
        Assert.Equal(1, instance.GetProperty("workflow_id").GetInt64());
        Assert.Equal(0, instance.GetProperty("heartbeat_count").GetInt32());
        Assert.Equal(JsonValueKind.Null, instance.GetProperty("array_id").ValueKind);
        Assert.Empty(instance.GetProperty("requests").EnumerateArray());
        Assert.Empty(instance.GetProperty("error_log").EnumerateArray());
    }

    [Theory]
    [InlineData("""{"name": "x"}""", HttpStatusCode.BadRequest, "command is required")]
    [InlineData("""{"command": "x", "stauts": "R"}""", HttpStatusCode.BadRequest, "stauts")]
    [InlineData("""{"command": "x", "status": "Y"}""", HttpStatusCode.BadRequest, "status must be one of")]
    [InlineData("""{"command": "x", "array_id": 1}""", HttpStatusCode.BadRequest, "give all three or none")]
    [InlineData("""[1, 2]""", HttpStatusCode.BadRequest, "unreadable body")]
    public async Task Creating_refuses_a_body_it_cannot_honour(string body, HttpStatusCode status, string error)
    {
        await using var harness = await RunningHarness.StartAsync();

        var reply = await harness.SendAsync(HttpMethod.Post, harness.Admin("task_instances"), JsonContent(body));

        Assert.Equal(status, reply.Status);
        Assert.Contains(error, reply.Json().GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Creating_a_second_instance_at_the_same_array_placement_conflicts()
    {
        await using var harness = await RunningHarness.StartAsync();
        await harness.CreateTaskInstanceAsync(new { command = "a", array_id = 1, batch_number = 0, array_step_id = 3 });

        var reply = await harness.SendAsync(
            HttpMethod.Post, harness.Admin("task_instances"), new { command = "b", array_id = 1, batch_number = 0, array_step_id = 3 });

        Assert.Equal(HttpStatusCode.Conflict, reply.Status);
    }

    [Fact]
    public async Task Setting_a_status_ignores_the_transition_table_and_is_kept_in_the_history()
    {
        await using var harness = await RunningHarness.StartAsync();
        var id = await harness.CreateTaskInstanceAsync();

        await harness.SetStatusAsync(id, "D");
        await harness.SetStatusAsync(id, "K");

        var history = (await harness.TaskInstanceAsync(id)).GetProperty("status_history").EnumerateArray().ToArray();
        Assert.Equal(["I", "D", "K"], history.Select(change => change.GetProperty("to").GetString()));
        Assert.Equal([null, "I", "D"], history.Select(change => change.GetProperty("from").GetString()));
        Assert.Equal(["created", "admin", "admin"], history.Select(change => change.GetProperty("cause").GetString()));
    }

    [Fact]
    public async Task Setting_a_status_refuses_an_unknown_letter()
    {
        await using var harness = await RunningHarness.StartAsync();
        var id = await harness.CreateTaskInstanceAsync();

        var reply = await harness.SendAsync(HttpMethod.Put, harness.Admin($"task_instances/{id}/status"), new { status = "running" });

        Assert.Equal(HttpStatusCode.BadRequest, reply.Status);
        Assert.Equal("I", await harness.StatusOfAsync(id));
    }

    [Theory]
    [InlineData("GET", "task_instances/7")]
    [InlineData("PUT", "task_instances/7/status")]
    public async Task An_unknown_instance_is_404(string method, string path)
    {
        await using var harness = await RunningHarness.StartAsync();

        var reply = await harness.SendAsync(new HttpMethod(method), harness.Admin(path), method == "PUT" ? new { status = "K" } : null);

        Assert.Equal(HttpStatusCode.NotFound, reply.Status);
        Assert.Equal("no task instance 7", reply.Json().GetProperty("error").GetString());
    }

    [Fact]
    public async Task Listing_summarises_every_instance()
    {
        await using var harness = await RunningHarness.StartAsync();
        await harness.CreateTaskInstanceAsync(new { command = "a", name = "alpha" });
        var running = await harness.CreateTaskInstanceInAsync("R");
        await harness.PostForStatusAsync($"task_instance/{running}/log_report_by", new { next_report_increment = 10.0 });

        var reply = await harness.SendAsync(HttpMethod.Get, harness.Admin("task_instances"));

        var listed = reply.Json().GetProperty("task_instances").EnumerateArray().ToArray();
        Assert.Equal(["alpha", $"task_{running}"], listed.Select(instance => instance.GetProperty("name").GetString()));
        Assert.Equal(["I", "R"], listed.Select(instance => instance.GetProperty("status").GetString()));
        Assert.Equal([0, 1], listed.Select(instance => instance.GetProperty("heartbeat_count").GetInt32()));
        Assert.Equal([0, 1], listed.Select(instance => instance.GetProperty("request_count").GetInt32()));
    }

    [Fact]
    public async Task The_request_log_keeps_requests_for_unknown_instances_too()
    {
        await using var harness = await RunningHarness.StartAsync();

        await harness.PostApiAsync("task_instance/41/log_done", new { });
        await harness.SendAsync(HttpMethod.Get, harness.Api("cluster/slurm"));

        var requests = await harness.RequestsAsync();
        Assert.Equal(["log_done", "cluster"], requests.Select(request => request.GetProperty("route").GetString()));
        Assert.Equal(41, requests[0].GetProperty("task_instance_id").GetInt64());
        Assert.Equal(500, requests[0].GetProperty("status_code").GetInt32());
    }

    [Fact]
    public async Task Reset_forgets_instances_requests_and_faults_and_numbers_from_1_again()
    {
        await using var harness = await RunningHarness.StartAsync();
        await harness.CreateTaskInstanceAsync();
        await harness.CreateTaskInstanceAsync();
        await harness.PostApiAsync("task_instance/1/log_done", new { });
        await harness.ArmFaultAsync(new { route = "log_done", mode = "status", count = 3 });

        var reset = await harness.SendAsync(HttpMethod.Post, harness.Admin("reset"));

        Assert.Equal(HttpStatusCode.NoContent, reset.Status);
        Assert.Empty((await harness.SendAsync(HttpMethod.Get, harness.Admin("task_instances"))).Json().GetProperty("task_instances").EnumerateArray());
        Assert.Empty(await harness.RequestsAsync());
        Assert.Empty(await harness.FaultsAsync());
        Assert.Equal(1, await harness.CreateTaskInstanceAsync());
    }

    private static StringContent JsonContent(string json) => new(json, System.Text.Encoding.UTF8, "application/json");
}
