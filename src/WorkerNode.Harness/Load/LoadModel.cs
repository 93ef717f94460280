using System.Collections.Concurrent;

namespace WorkerNode.Harness.Load;

/// <summary>
/// Applies <see cref="LoadSettings"/> to every worker request and counts what happened. It outlives
/// the web host (a <c>down</c> fault does not reset it); changing the settings resets the counters.
/// </summary>
internal sealed class LoadModel(TimeProvider time)
{
    private readonly Lock _gate = new();
    private LoadSettings _settings = LoadSettings.Off;
    private SemaphoreSlim _slots = new(int.MaxValue);
    private ConcurrentDictionary<string, long> _byRoute = new();
    private long _requests;
    private long _served;
    private long _refused;
    private long _abandoned;
    private int _queued;
    private int _inService;
    private int _maxQueue;
    private int _maxOutstanding;

    public void Apply(LoadSettings settings)
    {
        lock (_gate)
        {
            _settings = settings;
            _slots = new SemaphoreSlim(settings.Limited ? settings.Concurrency!.Value : int.MaxValue);
            _byRoute = new ConcurrentDictionary<string, long>();
            _requests = _served = _refused = _abandoned = 0;
            _queued = _inService = _maxQueue = _maxOutstanding = 0;
        }
    }

    public LoadStatistics Statistics()
    {
        lock (_gate)
        {
            return new LoadStatistics(
                _settings,
                _requests,
                new SortedDictionary<string, long>(_byRoute),
                _served,
                _refused,
                _abandoned,
                _queued,
                _inService,
                _maxQueue,
                _maxOutstanding);
        }
    }

    /// <summary>Serves <paramref name="handle"/> as the model says: queued for a slot, held for the service time, delayed when slow.</summary>
    public async Task ServeAsync(HttpContext context, string route, Func<Task> handle)
    {
        LoadSettings settings;
        SemaphoreSlim slots;
        lock (_gate)
        {
            settings = _settings;
            slots = _slots;
            _requests++;
            _byRoute.AddOrUpdate(route, 1, static (_, count) => count + 1);
            if (settings.Limited && settings.QueueLimit > 0 && _queued >= settings.QueueLimit && slots.CurrentCount == 0)
            {
                // Past the queue's bound: the connection is dropped unanswered (a refused connection
                // cannot be made once Kestrel has accepted it; the client sees a reset).
                _refused++;
                context.Abort();
                return;
            }

            _queued++;
            _maxQueue = Math.Max(_maxQueue, _queued);
            _maxOutstanding = Math.Max(_maxOutstanding, _queued + _inService);
        }

        var holding = false;
        try
        {
            try
            {
                await slots.WaitAsync(context.RequestAborted);
                holding = true;
            }
            finally
            {
                lock (_gate)
                {
                    _queued--;
                    if (holding)
                    {
                        _inService++;
                    }
                }
            }

            var delay = TimeSpan.FromSeconds((settings.Limited ? settings.ServiceSeconds!.Value : 0) + settings.SlowSeconds!.Value);
            if (delay > TimeSpan.Zero)
            {
                await Task.Delay(delay, time, context.RequestAborted);
            }

            await handle();
            lock (_gate)
            {
                _served++;
            }
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away while its request waited or was being served.
            lock (_gate)
            {
                _abandoned++;
            }
        }
        finally
        {
            if (holding)
            {
                slots.Release();
                lock (_gate)
                {
                    _inService--;
                }
            }
        }
    }
}
