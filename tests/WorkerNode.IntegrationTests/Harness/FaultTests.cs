using System.Net;
using System.Text.Json;

namespace WorkerNode.IntegrationTests.Harness;

/// <summary>Faults that spoil single requests: status codes, delays, dropped connections, bad bodies.</summary>
public sealed class FaultTests
{
    private static readonly object Done = new { stdout_log = "", stderr_log = "" };

    [Fact]
    public async Task A_status_fault_answers_its_code_count_times_without_applying_then_lets_requests_through()
    {
        await using var harness = await RunningHarness.StartAsync();
        var id = await harness.CreateTaskInstanceInAsync("R");
        await harness.ArmFaultAsync(new { route = "log_done", mode = "status", count = 2, status_code = 503 });

        var first = await harness.PostApiAsync($"task_instance/{id}/log_done", Done);
        var second = await harness.PostApiAsync($"task_instance/{id}/log_done", Done);
        var statusBetween = await harness.StatusOfAsync(id);
        var third = await harness.PostApiAsync($"task_instance/{id}/log_done", Done);

        Assert.Equal([HttpStatusCode.ServiceUnavailable, HttpStatusCode.ServiceUnavailable, HttpStatusCode.OK], new[] { first.Status, second.Status, third.Status });
        Assert.Equal("R", statusBetween);
        Assert.Equal("D", await harness.StatusOfAsync(id));
        var fault = Assert.Single(await harness.FaultsAsync());
        Assert.Equal(2, fault.GetProperty("fired").GetInt32());
        Assert.Equal(0, fault.GetProperty("remaining").GetInt32());
        var requests = await harness.RequestsOfAsync(id);
        Assert.Equal(["status", "status", null], requests.Select(request => request.GetProperty("fault").GetString()));
        Assert.Equal([false, false, true], requests.Select(request => request.GetProperty("applied").GetBoolean()));
    }

    [Fact]
    public async Task A_fault_on_one_route_leaves_the_others_alone_and_a_star_fault_hits_any()
    {
        await using var harness = await RunningHarness.StartAsync();
        var id = await harness.CreateTaskInstanceInAsync("R");
        await harness.ArmFaultAsync(new { route = "log_done", mode = "status", status_code = 423 });

        var heartbeat = await harness.PostApiAsync($"task_instance/{id}/log_report_by", new { next_report_increment = 1.0 });
        await harness.ArmFaultAsync(new { route = "*", mode = "status", status_code = 500 });
        var done = await harness.PostApiAsync($"task_instance/{id}/log_done", Done);
        var array = await harness.SendAsync(HttpMethod.Get, harness.Api("get_array_task_instance_id/1/1/1"));

        Assert.Equal(HttpStatusCode.OK, heartbeat.Status);
        Assert.Equal((HttpStatusCode)423, done.Status);
        Assert.Equal(HttpStatusCode.InternalServerError, array.Status);
        Assert.Contains("harness fault", array.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_reset_fault_drops_the_connection_without_applying()
    {
        await using var harness = await RunningHarness.StartAsync();
        var id = await harness.CreateTaskInstanceInAsync("R");
        await harness.ArmFaultAsync(new { route = "log_done", mode = "reset" });

        await Assert.ThrowsAsync<HttpRequestException>(() => harness.PostApiAsync($"task_instance/{id}/log_done", Done));

        Assert.Equal("R", await harness.StatusOfAsync(id));
        var request = Assert.Single(await harness.RequestsOfAsync(id));
        Assert.Equal("reset", request.GetProperty("fault").GetString());
        Assert.Equal(JsonValueKind.Null, request.GetProperty("status_code").ValueKind);
        Assert.Equal("D", await harness.PostForStatusAsync($"task_instance/{id}/log_done", Done));
    }

    [Fact]
    public async Task A_malformed_fault_answers_200_with_a_body_that_is_not_json()
    {
        await using var harness = await RunningHarness.StartAsync();
        var id = await harness.CreateTaskInstanceInAsync("R");
        await harness.ArmFaultAsync(new { route = "log_report_by", mode = "malformed" });

        var reply = await harness.PostApiAsync($"task_instance/{id}/log_report_by", new { next_report_increment = 1.0 });

        Assert.Equal(HttpStatusCode.OK, reply.Status);
        Assert.ThrowsAny<JsonException>(() => reply.Json());
        Assert.Equal(0, (await harness.TaskInstanceAsync(id)).GetProperty("heartbeat_count").GetInt32());
    }

    [Fact]
    public async Task A_wrong_shape_fault_answers_200_with_json_of_another_shape()
    {
        await using var harness = await RunningHarness.StartAsync();
        var id = await harness.CreateTaskInstanceAsync();
        await harness.ArmFaultAsync(new { route = "log_running", mode = "wrong_shape" });

        var reply = await harness.PostApiAsync($"task_instance/{id}/log_running", new { process_group_id = "1", next_report_increment = 1.0 });

        Assert.Equal(HttpStatusCode.OK, reply.Status);
        Assert.Equal("""{"unexpected":true}""", reply.Text);
        Assert.Equal("I", await harness.StatusOfAsync(id));
    }

    [Fact]
    public async Task A_delay_the_client_gives_up_on_is_never_applied()
    {
        await using var harness = await RunningHarness.StartAsync();
        var id = await harness.CreateTaskInstanceInAsync("R");
        await harness.ArmFaultAsync(new { route = "log_done", mode = "delay", seconds = 30 });

        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => harness.PostApiAsync($"task_instance/{id}/log_done", Done, timeout: TimeSpan.FromMilliseconds(300)));

        await Eventually.HoldsAsync(
            async () => (await harness.RequestsOfAsync(id)).Length == 1,
            "the abandoned request is recorded");
        var request = Assert.Single(await harness.RequestsOfAsync(id));
        Assert.Equal("delay", request.GetProperty("fault").GetString());
        Assert.False(request.GetProperty("applied").GetBoolean());
        Assert.Equal("R", await harness.StatusOfAsync(id));
    }

    [Fact]
    public async Task A_delay_the_client_waits_out_is_applied_and_answered()
    {
        await using var harness = await RunningHarness.StartAsync();
        var id = await harness.CreateTaskInstanceInAsync("R");
        await harness.ArmFaultAsync(new { route = "log_done", mode = "delay", seconds = 0.2 });

        var status = await harness.PostForStatusAsync($"task_instance/{id}/log_done", Done);

        Assert.Equal("D", status);
        var request = Assert.Single(await harness.RequestsOfAsync(id));
        Assert.Equal("delay", request.GetProperty("fault").GetString());
        Assert.True(request.GetProperty("applied").GetBoolean());
    }

    [Fact]
    public async Task Disposing_the_harness_ends_a_delay_in_progress()
    {
        var harness = await RunningHarness.StartAsync();
        var id = await harness.CreateTaskInstanceInAsync("R");
        await harness.ArmFaultAsync(new { route = "log_done", mode = "delay", seconds = 600 });
        var pending = harness.PostApiAsync($"task_instance/{id}/log_done", Done);
        await Eventually.HoldsAsync(
            async () => (await harness.FaultsAsync())[0].GetProperty("fired").GetInt32() == 1, "the delay has begun");

        using var deadline = new CancellationTokenSource(RunningHarness.CallTimeout);
        await harness.Server.DisposeAsync().AsTask().WaitAsync(deadline.Token);

        await Assert.ThrowsAsync<HttpRequestException>(() => pending);
        harness.Http.Dispose();
    }

    [Theory]
    [InlineData("""{"route": "log_done"}""", "mode is required")]
    [InlineData("""{"route": "log_done", "mode": "explode"}""", "unreadable body")]
    [InlineData("""{"route": "log_dune", "mode": "reset"}""", "route must be one of")]
    [InlineData("""{"mode": "reset"}""", "route must be one of")]
    [InlineData("""{"route": "*", "mode": "delay"}""", "delay needs seconds > 0")]
    [InlineData("""{"route": "*", "mode": "status", "status_code": 99}""", "status_code must be between 100 and 599")]
    [InlineData("""{"route": "*", "mode": "reset", "count": 0}""", "count must be at least 1")]
    [InlineData("""{"mode": "down"}""", "down needs seconds > 0")]
    public async Task Arming_refuses_a_fault_it_cannot_honour(string body, string error)
    {
        await using var harness = await RunningHarness.StartAsync();

        var reply = await harness.SendAsync(
            HttpMethod.Post, harness.Admin("faults"), new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, reply.Status);
        Assert.Contains(error, reply.Json().GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Empty(await harness.FaultsAsync());
    }

    [Fact]
    public async Task Clearing_faults_disarms_them()
    {
        await using var harness = await RunningHarness.StartAsync();
        var id = await harness.CreateTaskInstanceInAsync("R");
        await harness.ArmFaultAsync(new { route = "*", mode = "status", count = 100 });

        var cleared = await harness.SendAsync(HttpMethod.Delete, harness.Admin("faults"));

        Assert.Equal(HttpStatusCode.NoContent, cleared.Status);
        Assert.Empty(await harness.FaultsAsync());
        Assert.Equal("D", await harness.PostForStatusAsync($"task_instance/{id}/log_done", Done));
    }
}
