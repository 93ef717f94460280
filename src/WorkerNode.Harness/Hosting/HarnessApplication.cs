using System.Net;
using Microsoft.AspNetCore.ResponseCompression;
using WorkerNode.Harness.Admin;
using WorkerNode.Harness.Worker;

namespace WorkerNode.Harness.Hosting;

/// <summary>Builds one web host of the harness: Kestrel on 127.0.0.1, gzip for JSON, the worker routes and the admin API.</summary>
internal static class HarnessApplication
{
    // Bounds how long stopping waits for requests in flight (a delay fault ends at once on shutdown anyway).
    private static readonly TimeSpan ShutdownGrace = TimeSpan.FromSeconds(2);

    public static WebApplication Build(HarnessServices services, int port, IOutageScheduler outages)
    {
        // The empty builder reads no appsettings or ASPNETCORE_ variables: the harness behaves the same everywhere.
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { ApplicationName = "worker-node-harness" });
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Loopback, port);
            kestrel.AddServerHeader = false;
        });

        builder.Services.AddRouting();
        builder.Services.AddResponseCompression(compression =>
        {
            compression.Providers.Add<GzipCompressionProvider>();
            compression.MimeTypes = ["application/json"];
        });
        builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = ShutdownGrace);
        builder.Services.AddSingleton<IHostLifetime, DetachedHostLifetime>();
        builder.Services.AddSingleton(services.LoggerFactory);
        builder.Services.AddSingleton(services.Time);
        builder.Services.AddSingleton(services.Store);
        builder.Services.AddSingleton(services.Faults);
        builder.Services.AddSingleton(services.Load);
        builder.Services.AddSingleton(outages);
        builder.Services.AddSingleton<WorkerRequestPipeline>();

        var app = builder.Build();
        app.UseResponseCompression();
        app.MapWorkerRoutes(services.RoutePrefix, services.WithoutTaskInstanceDetails);
        app.MapAdminRoutes();
        return app;
    }
}
