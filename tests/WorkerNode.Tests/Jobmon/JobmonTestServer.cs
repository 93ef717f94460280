using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace WorkerNode.Tests.Jobmon;

/// <summary>A real Kestrel server on 127.0.0.1 (a free port) that records every request and answers as the test says.</summary>
internal sealed class JobmonTestServer : IAsyncDisposable
{
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private readonly WebApplication _app;
    private readonly ConcurrentQueue<RecordedRequest> _requests = new();
    private int _count;

    private JobmonTestServer(WebApplication app) => _app = app;

    public Uri Url { get; private set; } = null!;

    public RecordedRequest[] Requests => [.. _requests];

    /// <param name="answer">Called for each request, numbered from 1.</param>
    public static async Task<JobmonTestServer> StartAsync(Func<RecordedRequest, HttpResponse, Task> answer, X509Certificate2? certificate = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen =>
        {
            if (certificate is not null)
            {
                listen.UseHttps(certificate);
            }
        }));
        var app = builder.Build();
        var server = new JobmonTestServer(app);
        app.Run(async context =>
        {
            using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
            var request = new RecordedRequest(
                Interlocked.Increment(ref server._count),
                context.Request.Method,
                context.Request.Path.Value ?? string.Empty,
                context.Request.QueryString.Value ?? string.Empty,
                context.Request.Headers.ToDictionary(header => header.Key, header => header.Value.ToString(), StringComparer.OrdinalIgnoreCase),
                await reader.ReadToEndAsync(context.RequestAborted),
                context.RequestAborted);
            server._requests.Enqueue(request);
            await answer(request, context.Response);
        });
        await app.StartAsync().WaitAsync(Patience);
        server.Url = new Uri(app.Urls.Single());
        return server;
    }

    /// <summary>Answers JSON.</summary>
    public static async Task Json(HttpResponse response, int status, string json)
    {
        response.StatusCode = status;
        response.ContentType = "application/json";
        await response.Body.WriteAsync(Encoding.UTF8.GetBytes(json));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().WaitAsync(Patience);
        await _app.DisposeAsync();
    }
}
