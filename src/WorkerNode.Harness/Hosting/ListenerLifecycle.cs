using WorkerNode.Harness.Admin;

namespace WorkerNode.Harness.Hosting;

/// <summary>
/// Owns the current web host. A <c>down</c> fault really closes the listening socket: it stops the host,
/// waits, then starts a fresh host on the same port; the state lives in <see cref="HarnessServices"/> and survives.
/// </summary>
internal sealed class ListenerLifecycle(HarnessServices services) : IOutageScheduler, IAsyncDisposable
{
    // Rebinding can fail for a moment after the old socket closes (or while a stranger briefly holds the port).
    private const int RebindAttempts = 100;
    private static readonly TimeSpan RebindInterval = TimeSpan.FromMilliseconds(100);

    private readonly ILogger logger = services.LoggerFactory.CreateLogger<ListenerLifecycle>();
    private readonly CancellationTokenSource disposing = new();
    private readonly Lock outageGate = new();
    private Task outage = Task.CompletedTask;
    private WebApplication? host;
    private bool disposed;

    /// <summary>The port bound by the first start; every restart binds it again.</summary>
    public int Port { get; private set; }

    public async Task StartAsync(int port, CancellationToken ct)
    {
        var app = HarnessApplication.Build(services, port, this);
        try
        {
            await app.StartAsync(ct);
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }

        host = app;
        Port = new Uri(app.Urls.First()).Port;
    }

    public bool TrySchedule(TimeSpan duration, Task start)
    {
        lock (outageGate)
        {
            if (disposed || !outage.IsCompleted)
            {
                return false;
            }

            outage = RunOutageAsync(duration, start, disposing.Token);
            return true;
        }
    }

    public async ValueTask DisposeAsync()
    {
        Task pending;
        lock (outageGate)
        {
            if (disposed)
            {
                return;
            }

            disposed = true;
            pending = outage;
        }

        // Outside the lock: cancelling may run the outage's continuation inline.
        await disposing.CancelAsync();
        await pending;
        await StopHostAsync();
        disposing.Dispose();
    }

    // Never throws: it runs unobserved until DisposeAsync awaits it.
    private async Task RunOutageAsync(TimeSpan duration, Task start, CancellationToken ct)
    {
        try
        {
            await start.WaitAsync(ct);
            logger.LogInformation("down: port {Port} refuses connections for {Duration}", Port, duration);
            await StopHostAsync();
            await Task.Delay(duration, services.Time, ct);
            await RebindAsync(ct);
            logger.LogInformation("up again on port {Port}", Port);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // Disposed during the outage: there is nothing to bring back.
        }
        catch (Exception e)
        {
            logger.LogError(e, "the harness could not listen again on port {Port} after a down fault", Port);
        }
    }

    private async Task RebindAsync(CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await StartAsync(Port, ct);
                return;
            }
            catch (IOException) when (attempt < RebindAttempts)
            {
                await Task.Delay(RebindInterval, ct);
            }
        }
    }

    private async Task StopHostAsync()
    {
        if (host is not { } app)
        {
            return;
        }

        host = null;
        await app.StopAsync(CancellationToken.None);
        await app.DisposeAsync();
    }
}
