using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using WorkerNode.Harness.Hosting;

namespace WorkerNode.IntegrationTests.Harness;

/// <summary>An in-process harness with an HTTP client and admin helpers; every call has a deadline; disposing stops both.</summary>
public sealed class RunningHarness : IAsyncDisposable
{
    /// <summary>The deadline of one call; generous, since it only guards against a hang.</summary>
    public static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(20);

    private RunningHarness(HarnessServer server)
    {
        Server = server;

        // No automatic decompression, so that tests see what the server really sent.
        Http = new HttpClient(new SocketsHttpHandler { AutomaticDecompression = DecompressionMethods.None })
        {
            Timeout = Timeout.InfiniteTimeSpan,
        };
    }

    public HarnessServer Server { get; }

    public HttpClient Http { get; }

    public static async Task<RunningHarness> StartAsync(HarnessOptions? options = null)
    {
        using var deadline = new CancellationTokenSource(CallTimeout);
        return new RunningHarness(await HarnessServer.StartAsync(options ?? new HarnessOptions(), deadline.Token));
    }

    public Uri Api(string relative) => new(Server.ApiBaseUrl, relative);

    public Uri Admin(string relative) => new(Server.BaseUrl, "admin/" + relative);

    /// <summary>Sends one request and reads the whole answer within <paramref name="timeout"/> (default <see cref="CallTimeout"/>).</summary>
    public async Task<HarnessReply> SendAsync(
        HttpMethod method, Uri uri, object? body = null, TimeSpan? timeout = null, Action<HttpRequestMessage>? configure = null)
    {
        using var request = new HttpRequestMessage(method, uri);
        if (body is not null)
        {
            request.Content = body as HttpContent ?? JsonContent.Create(body);
        }

        configure?.Invoke(request);
        using var deadline = new CancellationTokenSource(timeout ?? CallTimeout);
        using var response = await Http.SendAsync(request, deadline.Token);
        var text = await response.Content.ReadAsStringAsync(deadline.Token);
        return new HarnessReply(response.StatusCode, text, response.Content.Headers);
    }

    public Task<HarnessReply> PostApiAsync(string relative, object body, TimeSpan? timeout = null) =>
        SendAsync(HttpMethod.Post, Api(relative), body, timeout);

    /// <summary>Posts to a worker route and expects 200, returning the answered <c>status</c>.</summary>
    public async Task<string?> PostForStatusAsync(string relative, object body)
    {
        var reply = await PostApiAsync(relative, body);
        Assert.Equal(HttpStatusCode.OK, reply.Status);
        return reply.Json().GetProperty("status").GetString();
    }

    public async Task<long> CreateTaskInstanceAsync(object? fields = null)
    {
        var reply = await SendAsync(HttpMethod.Post, Admin("task_instances"), fields ?? new { command = "echo hello" });
        Assert.Equal(HttpStatusCode.Created, reply.Status);
        return reply.Json().GetProperty("task_instance_id").GetInt64();
    }

    /// <summary>Creates an instance and moves it to <paramref name="status"/> through the admin override.</summary>
    public async Task<long> CreateTaskInstanceInAsync(string status)
    {
        var id = await CreateTaskInstanceAsync();
        await SetStatusAsync(id, status);
        return id;
    }

    public async Task<JsonElement> TaskInstanceAsync(long id)
    {
        var reply = await SendAsync(HttpMethod.Get, Admin($"task_instances/{id}"));
        Assert.Equal(HttpStatusCode.OK, reply.Status);
        return reply.Json();
    }

    public async Task<string?> StatusOfAsync(long id) => (await TaskInstanceAsync(id)).GetProperty("status").GetString();

    public async Task SetStatusAsync(long id, string status)
    {
        var reply = await SendAsync(HttpMethod.Put, Admin($"task_instances/{id}/status"), new { status });
        Assert.Equal(HttpStatusCode.OK, reply.Status);
    }

    public async Task<JsonElement> ArmFaultAsync(object fault)
    {
        var reply = await SendAsync(HttpMethod.Post, Admin("faults"), fault);
        Assert.Equal(HttpStatusCode.Created, reply.Status);
        return reply.Json();
    }

    public async Task<JsonElement[]> FaultsAsync()
    {
        var reply = await SendAsync(HttpMethod.Get, Admin("faults"));
        return [.. reply.Json().GetProperty("faults").EnumerateArray()];
    }

    /// <summary>The worker requests recorded for one instance, oldest first.</summary>
    public async Task<JsonElement[]> RequestsOfAsync(long id) =>
        [.. (await TaskInstanceAsync(id)).GetProperty("requests").EnumerateArray()];

    /// <summary>Every worker request the harness has recorded, oldest first.</summary>
    public async Task<JsonElement[]> RequestsAsync()
    {
        var reply = await SendAsync(HttpMethod.Get, Admin("requests"));
        return [.. reply.Json().GetProperty("requests").EnumerateArray()];
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Server.DisposeAsync();
    }
}
