using System.Net;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.DependencyInjection;
using Refit;

namespace WorkerNode.Jobmon.Transport;

/// <summary>
/// The worker's HTTP machinery, which needs no setting: Refit's generated client of the routes over an
/// HttpClient from IHttpClientFactory (one SocketsHttpHandler for the worker's life). Settings (the server's address, the token, a CA bundle) are given before
/// the first request (<see cref="SendTo"/>, <see cref="TrustAlso"/>) or per request by <see cref="JobmonClient"/>.
/// </summary>
internal sealed class JobmonTransport : IDisposable
{
    private readonly ServiceProvider _services;
    private readonly ServerTrust _trust;

    private JobmonTransport(ServiceProvider services, ServerTrust trust, IJobmonApi api)
    {
        _services = services;
        _trust = trust;
        Api = api;
    }

    /// <summary>The Refit client of the routes, over the HttpClient that IHttpClientFactory made for it.</summary>
    public IJobmonApi Api { get; }

    public HttpClient Http => Api.Client;

    /// <summary>
    /// Starts building the transport: on a thread of its own when the process may use more than one
    /// CPU, so that its first-time code (dependency injection and IHttpClientFactory: about a fifth of a
    /// server-mode task's CPU time, perf) runs while the main thread reads the command line, the settings
    /// and the node's facts, and builds the resilience pipeline (see ServerRun); on the caller's thread otherwise,
    /// where a second thread would only take turns with the first.
    /// </summary>
    public static Task<JobmonTransport> StartBuilding()
    {
        if (Environment.ProcessorCount < 2)
        {
            return BuildNow();
        }

        var built = new TaskCompletionSource<JobmonTransport>(TaskCreationOptions.RunContinuationsAsynchronously);
        new Thread(() => built.SetFromTask(BuildNow())) { IsBackground = true, Name = "transport" }.Start();
        return built.Task;
    }

    private static Task<JobmonTransport> BuildNow()
    {
        try
        {
            return Task.FromResult(Build());
        }
        catch (Exception exception)
        {
            return Task.FromException<JobmonTransport>(exception);
        }
    }

    public static JobmonTransport Build()
    {
        var trust = new ServerTrust();
        var services = new ServiceCollection();
        // Refit's generated client only (AddRefitGeneratedClient): its reflection path fails under Native AOT.
        // Bodies are passed as ready JSON content (System.Text.Json source generation, Wire/), so the
        // settings need no serializer of their own: they get the source-generated one, which costs nothing
        // to make, instead of Refit's default (reflection-based options, 5 % of a server-mode task's CPU time, perf).
        // The settings are made when the client is, at the end of this build: by then the main thread has
        // usually initialised the JSON context (a fifth of this build's CPU time when done here, perf) for
        // the first request's body.
        services.AddRefitGeneratedClient<IJobmonApi>(static _ => new RefitSettings(new SystemTextJsonContentSerializer(Wire.JobmonJsonContext.Default.Options))
            {
                // Transport errors reach the pipeline as HttpClient threw them (refused, reset, TLS,
                // timeout): AnswerClassifier tells them apart, which a wrapping ApiRequestException hides.
                TransportExceptionFactory = static (_, exception, _) => exception,
            })
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
            return new JobmonTransport(provider, trust, provider.GetRequiredService<IJobmonApi>());
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

    /// <summary>The system's trust store, and the CA bundle of http.ca_bundle when one is set.</summary>
    private sealed class ServerTrust
    {
        public CaBundleTrust? Bundle;

        // With no bundle this is the default rule: a certificate the system trusts, for this host.
        public bool Validate(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors) =>
            Volatile.Read(ref Bundle) is { } bundle ? bundle.Validate(sender, certificate, chain, errors) : errors == SslPolicyErrors.None;
    }
}
