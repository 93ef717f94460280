using WorkerNode.Harness.Faults;
using WorkerNode.Harness.Load;
using WorkerNode.Harness.State;

namespace WorkerNode.Harness.Hosting;

/// <summary>A running harness on 127.0.0.1: the Jobmon worker routes under <see cref="RoutePrefix"/> and the admin API under <c>/admin</c>.</summary>
public sealed class HarnessServer : IAsyncDisposable
{
    private readonly ListenerLifecycle listener;
    private readonly ILoggerFactory loggerFactory;

    private HarnessServer(ListenerLifecycle listener, ILoggerFactory loggerFactory, string routePrefix)
    {
        this.listener = listener;
        this.loggerFactory = loggerFactory;
        RoutePrefix = routePrefix;
        BaseUrl = new Uri($"http://127.0.0.1:{listener.Port}/");
        ApiBaseUrl = new Uri(BaseUrl, routePrefix + "/");
    }

    /// <summary>The server root, for example <c>http://127.0.0.1:43121/</c>; the admin API is at <c>admin/</c> below it.</summary>
    public Uri BaseUrl { get; }

    /// <summary>The worker API root with a trailing slash, for example <c>http://127.0.0.1:43121/api/v3/</c>.</summary>
    public Uri ApiBaseUrl { get; }

    /// <summary>The normalised route prefix: a leading slash and no trailing one (<c>""</c> for the root).</summary>
    public string RoutePrefix { get; }

    public int Port => listener.Port;

    /// <summary>Starts listening; returns once the port accepts connections.</summary>
    /// <exception cref="ArgumentException">The options hold an unusable port or route prefix.</exception>
    /// <exception cref="IOException">The port could not be bound.</exception>
    public static async Task<HarnessServer> StartAsync(HarnessOptions options, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfNegative(options.Port);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(options.Port, 65535);
        var prefix = Hosting.RoutePrefix.Normalize(options.RoutePrefix, out var problem) ?? throw new ArgumentException(problem, nameof(options));

        // The generic host logs a failed start or stop before throwing it; the exception reaches our caller
        // (and the program's one-line message), so that log would only say the same thing twice.
        var loggerFactory = LoggerFactory.Create(logging => logging
            .SetMinimumLevel(options.Verbose ? LogLevel.Information : LogLevel.Warning)
            .AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.None)
            .AddConsole(console => console.LogToStandardErrorThreshold = LogLevel.Trace)
            .AddSimpleConsole(console => console.SingleLine = true));
        if (options.Load.Problem() is { } loadProblem)
        {
            throw new ArgumentException(loadProblem, nameof(options));
        }

        var load = new LoadModel(options.TimeProvider);
        load.Apply(options.Load);
        var services = new HarnessServices(prefix, new TaskInstanceStore(options.TimeProvider), new FaultBook(), options.TimeProvider, loggerFactory, load, options.WithoutTaskInstanceDetails);
        var listener = new ListenerLifecycle(services);
        try
        {
            await listener.StartAsync(options.Port, ct);
        }
        catch
        {
            await listener.DisposeAsync();
            loggerFactory.Dispose();
            throw;
        }

        return new HarnessServer(listener, loggerFactory, prefix);
    }

    /// <summary>Stops listening (ending any outage in progress) and releases the port.</summary>
    public async ValueTask DisposeAsync()
    {
        await listener.DisposeAsync();
        loggerFactory.Dispose();
    }
}
