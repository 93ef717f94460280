using System.Net;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.DependencyInjection;
using Refit;
using WorkerNode.Jobmon.Resilience;

namespace WorkerNode.Jobmon.Transport;

/// <summary>
/// The worker's HTTP machinery, which needs no setting: Refit's generated client of the routes over an
/// HttpClient from IHttpClientFactory (one SocketsHttpHandler for the worker's life), and the
/// resilience pipeline. Settings (the server's address, the token, a CA bundle) are given before
/// the first request (<see cref="SendTo"/>, <see cref="TrustAlso"/>) or per request by <see cref="JobmonClient"/>.
/// </summary>
internal sealed class JobmonTransport : IDisposable
{
    private readonly ServiceProvider _services;
    private readonly ServerTrust _trust;

    private JobmonTransport(HttpPart http, JobmonPipeline pipeline)
    {
        _services = http.Services;
        _trust = http.Trust;
        Api = http.Api;
        Pipeline = pipeline;
    }

    /// <summary>The Refit client of the routes, over the HttpClient that IHttpClientFactory made for it.</summary>
    public IJobmonApi Api { get; }

    public HttpClient Http => Api.Client;

    public JobmonPipeline Pipeline { get; }

    /// <summary>
    /// Starts building the transport. When the process may use more than one CPU, its two first-time parts
    /// run on threads of their own while the main thread reads the command line, the settings and the
    /// node's facts: dependency injection with IHttpClientFactory, Refit and the JSON context on one, Polly's
    /// pipeline (its option validation) on the other. Together they are about a third of a server-mode
    /// task's CPU time; built one after the other they were the longest path to the first request (perf).
    /// With one CPU it is built on the caller's thread, where more threads would only take turns.
    /// </summary>
    public static Task<JobmonTransport> StartBuilding(TimeProvider time)
    {
        if (Environment.ProcessorCount < 2)
        {
            return Built(() => Build(time));
        }

        var http = OnItsOwnThread("transport", BuildHttp);
        var pipeline = OnItsOwnThread("resilience", () => new JobmonPipeline(time));
        return CombineAsync(http, pipeline);
    }

    /// <summary>Builds the transport on the caller's thread.</summary>
    public static JobmonTransport Build(TimeProvider time)
    {
        var http = BuildHttp();
        try
        {
            return new JobmonTransport(http, new JobmonPipeline(time));
        }
        catch
        {
            http.Services.Dispose();
            throw;
        }
    }

    private static async Task<JobmonTransport> CombineAsync(Task<HttpPart> http, Task<JobmonPipeline> pipeline)
    {
        var part = await http.ConfigureAwait(false);
        try
        {
            return new JobmonTransport(part, await pipeline.ConfigureAwait(false));
        }
        catch
        {
            part.Services.Dispose();
            throw;
        }
    }

    private static Task<T> OnItsOwnThread<T>(string name, Func<T> build)
    {
        var built = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        new Thread(() => built.SetFromTask(Built(build))) { IsBackground = true, Name = name }.Start();
        return built.Task;
    }

    private static Task<T> Built<T>(Func<T> build)
    {
        try
        {
            return Task.FromResult(build());
        }
        catch (Exception exception)
        {
            return Task.FromException<T>(exception);
        }
    }

    private static HttpPart BuildHttp()
    {
        var trust = new ServerTrust();
        var services = new ServiceCollection();
        // Refit's generated client only (AddRefitGeneratedClient): its reflection path fails under Native AOT.
        // Bodies are passed as ready JSON content (System.Text.Json source generation, Wire/), so the
        // settings need no serializer of their own: they get the source-generated one, which costs nothing
        // to make, instead of Refit's default (reflection-based options, 5 % of a server-mode task's CPU time, perf).
        var settings = new RefitSettings(new SystemTextJsonContentSerializer(Wire.JobmonJsonContext.Default.Options))
        {
            // Transport errors reach the pipeline as HttpClient threw them (refused, reset, TLS,
            // timeout): AnswerClassifier tells them apart, which a wrapping ApiRequestException hides.
            TransportExceptionFactory = static (_, exception, _) => exception,
        };
        services.AddRefitGeneratedClient<IJobmonApi>(settings)
            .ConfigureHttpClient(client =>
            {
                // Each attempt has its own timeout in the pipeline; HttpClient's 100 s default would cut across it.
                client.Timeout = Timeout.InfiniteTimeSpan;
            })
            .ConfigurePrimaryHttpMessageHandler(() => CreateHandler(trust))
            // A worker lives as long as its task: one handler for its whole life, no rotation timer.
            .SetHandlerLifetime(Timeout.InfiniteTimeSpan)
            // The default logging handlers would write URLs to a logger nobody reads, at a start-up cost.
            .RemoveAllLoggers();
        var provider = services.BuildServiceProvider();
        try
        {
            return new HttpPart(provider, trust, provider.GetRequiredService<IJobmonApi>());
        }
        catch
        {
            provider.Dispose();
            throw;
        }
    }

    /// <summary>Trusts the server's certificate if <paramref name="bundle"/> vouches for it; call before the first request.</summary>
    public void TrustAlso(CaBundleTrust? bundle) => Volatile.Write(ref _trust.Bundle, bundle);

    /// <summary>Where requests go: service_url and route_prefix, ending in '/'; call before the first request.</summary>
    public void SendTo(Uri baseAddress) => Api.Client.BaseAddress = baseAddress;

    public void Dispose()
    {
        Http.Dispose();
        _services.Dispose();
    }

    private static SocketsHttpHandler CreateHandler(ServerTrust trust) => new()
    {
        // The real server gzips its answers when asked, as the Python worker asks; the body is read
        // up to a bound after decompression (BoundedAnswer), so a small bomb cannot grow large.
        AutomaticDecompression = DecompressionMethods.GZip | DecompressionMethods.Deflate,
        // PROTOCOL.md §3: a 302 or 307 is itself the answer (success), not a pointer to follow.
        AllowAutoRedirect = false,
        // Heartbeats go on for days: reconnecting now and then lets a moved server (DNS) be found.
        PooledConnectionLifetime = TimeSpan.FromMinutes(10),
        SslOptions = { RemoteCertificateValidationCallback = trust.Validate },
    };

    /// <summary>The HTTP half of the transport: the container that made the client, the trust rule, the client.</summary>
    private sealed record HttpPart(ServiceProvider Services, ServerTrust Trust, IJobmonApi Api);

    /// <summary>The system's trust store, and the CA bundle of http.ca_bundle when one is set.</summary>
    private sealed class ServerTrust
    {
        public CaBundleTrust? Bundle;

        // With no bundle this is the default rule: a certificate the system trusts, for this host.
        public bool Validate(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors) =>
            Volatile.Read(ref Bundle) is { } bundle ? bundle.Validate(sender, certificate, chain, errors) : errors == SslPolicyErrors.None;
    }
}
