using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using WorkerNode.Harness.Hosting;

namespace WorkerNode.IntegrationTests.Harness;

/// <summary>How the worker routes fail, compress and nest, as the real server does.</summary>
public sealed class WorkerRouteErrorTests
{
    private static readonly object AnyBody = new { nodename = "n", process_group_id = "1", next_report_increment = 279.0, error_state = "E", error_description = "x" };

    [Theory]
    [InlineData("POST", "task_instance/999/log_running")]
    [InlineData("POST", "task_instance/999/log_report_by")]
    [InlineData("POST", "task_instance/999/log_done")]
    [InlineData("POST", "task_instance/999/log_error_worker_node")]
    [InlineData("GET", "get_array_task_instance_id/1/0/0")]
    public async Task An_unknown_id_answers_500_with_the_servers_NoResultFound_body(string method, string path)
    {
        await using var harness = await RunningHarness.StartAsync();
        await harness.CreateTaskInstanceAsync();

        var reply = await harness.SendAsync(new HttpMethod(method), harness.Api(path), method == "POST" ? AnyBody : null);

        Assert.Equal(HttpStatusCode.InternalServerError, reply.Status);
        Assert.Equal(
            """{"error":{"type":"<class 'sqlalchemy.exc.NoResultFound'>","exception_message":"No row was found when one was required","status_code":"500"}}""",
            reply.Text);
    }

    [Theory]
    [InlineData("POST", "task_instance/abc/log_running", "task_instance_id")]
    [InlineData("POST", "task_instance/1.5/log_done", "task_instance_id")]
    [InlineData("GET", "get_array_task_instance_id/1/x/0", "batch_num")]
    public async Task A_non_integer_id_answers_422_naming_the_parameter(string method, string path, string parameter)
    {
        await using var harness = await RunningHarness.StartAsync();
        await harness.CreateTaskInstanceAsync();

        var reply = await harness.SendAsync(new HttpMethod(method), harness.Api(path), method == "POST" ? AnyBody : null);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, reply.Status);
        var detail = Assert.Single(reply.Json().GetProperty("detail").EnumerateArray());
        Assert.Equal(["path", parameter], detail.GetProperty("loc").EnumerateArray().Select(part => part.GetString()));
        Assert.Equal("int_parsing", detail.GetProperty("type").GetString());
    }

    [Fact]
    public async Task A_missing_required_field_answers_500_KeyError_and_changes_nothing()
    {
        await using var harness = await RunningHarness.StartAsync();
        var id = await harness.CreateTaskInstanceAsync();

        var reply = await harness.PostApiAsync($"task_instance/{id}/log_running", new { nodename = "n", process_group_id = "1" });

        Assert.Equal(HttpStatusCode.InternalServerError, reply.Status);
        var error = reply.Json().GetProperty("error");
        Assert.Equal("<class 'KeyError'>", error.GetProperty("type").GetString());
        Assert.Equal("'next_report_increment'", error.GetProperty("exception_message").GetString());
        var instance = await harness.TaskInstanceAsync(id);
        Assert.Equal("I", instance.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, instance.GetProperty("nodename").ValueKind);
        Assert.False(Assert.Single(instance.GetProperty("requests").EnumerateArray()).GetProperty("applied").GetBoolean());
    }

    [Fact]
    public async Task A_body_that_is_not_json_answers_500_and_is_kept_as_text()
    {
        await using var harness = await RunningHarness.StartAsync();
        var id = await harness.CreateTaskInstanceInAsync("R");

        var reply = await harness.PostApiAsync($"task_instance/{id}/log_done", new StringContent("not json", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.InternalServerError, reply.Status);
        Assert.Equal("<class 'json.decoder.JSONDecodeError'>", reply.Json().GetProperty("error").GetProperty("type").GetString());
        var request = Assert.Single(await harness.RequestsOfAsync(id));
        Assert.Equal("not json", request.GetProperty("body_text").GetString());
        Assert.Equal("R", await harness.StatusOfAsync(id));
    }

    [Fact]
    public async Task Answers_are_gzip_compressed_when_the_client_accepts_gzip()
    {
        await using var harness = await RunningHarness.StartAsync();
        var id = await harness.CreateTaskInstanceInAsync("R");
        using var request = new HttpRequestMessage(HttpMethod.Post, harness.Api($"task_instance/{id}/log_report_by"))
        {
            Content = new StringContent("""{"next_report_increment": 279.0}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.AcceptEncoding.Add(new StringWithQualityHeaderValue("gzip"));
        using var deadline = new CancellationTokenSource(RunningHarness.CallTimeout);

        using var response = await harness.Http.SendAsync(request, deadline.Token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(["gzip"], response.Content.Headers.ContentEncoding);
        await using var gzip = new GZipStream(await response.Content.ReadAsStreamAsync(deadline.Token), CompressionMode.Decompress);
        using var reader = new StreamReader(gzip);
        Assert.Equal("""{"status":"R"}""", await reader.ReadToEndAsync(deadline.Token));
    }

    [Fact]
    public async Task Answers_are_plain_when_the_client_does_not_accept_gzip()
    {
        await using var harness = await RunningHarness.StartAsync();
        var id = await harness.CreateTaskInstanceInAsync("R");

        var reply = await harness.PostApiAsync($"task_instance/{id}/log_report_by", new { next_report_increment = 279.0 });

        Assert.Empty(reply.ContentHeaders.ContentEncoding);
        Assert.Equal("""{"status":"R"}""", reply.Text);
    }

    [Fact]
    public async Task The_worker_routes_live_under_the_configured_prefix_only()
    {
        await using var harness = await RunningHarness.StartAsync(new HarnessOptions { RoutePrefix = "/jobmon/v3/" });
        var id = await harness.CreateTaskInstanceInAsync("R");

        var underPrefix = await harness.SendAsync(HttpMethod.Post, new Uri(harness.Server.BaseUrl, $"jobmon/v3/task_instance/{id}/log_done"), new { });
        var underDefault = await harness.SendAsync(HttpMethod.Post, new Uri(harness.Server.BaseUrl, $"api/v3/task_instance/{id}/log_done"), new { });

        Assert.Equal("/jobmon/v3", harness.Server.RoutePrefix);
        Assert.Equal(new Uri(harness.Server.BaseUrl, "jobmon/v3/"), harness.Server.ApiBaseUrl);
        Assert.Equal("""{"status":"D"}""", underPrefix.Text);
        Assert.Equal(HttpStatusCode.NotFound, underDefault.Status);
    }

    [Fact]
    public async Task The_base_url_is_on_loopback_at_the_bound_port()
    {
        await using var harness = await RunningHarness.StartAsync();

        Assert.Equal("127.0.0.1", harness.Server.BaseUrl.Host);
        Assert.NotEqual(0, harness.Server.Port);
        Assert.Equal(harness.Server.Port, harness.Server.BaseUrl.Port);
    }
}
