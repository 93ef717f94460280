namespace WorkerNode.Harness.State;

/// <summary>All task instances and requests of one harness, behind one lock so that several workers may call at once.</summary>
internal sealed class TaskInstanceStore(TimeProvider time)
{
    private readonly Lock gate = new();
    private readonly Dictionary<long, TaskInstance> instances = [];
    private readonly Dictionary<ArrayPlacement, long> placements = [];
    private readonly List<RecordedRequest> requests = [];
    private long lastId;

    /// <summary>Creates an instance with the next id; null when its array placement is already taken.</summary>
    public long? TryCreate(NewTaskInstance spec)
    {
        lock (gate)
        {
            var placement = spec.Placement();
            if (placement is { } taken && placements.ContainsKey(taken))
            {
                return null;
            }

            var instance = new TaskInstance(++lastId, spec, time.GetUtcNow());
            instances.Add(instance.Id, instance);
            if (placement is { } free)
            {
                placements.Add(free, instance.Id);
            }

            return instance.Id;
        }
    }

    /// <summary>Runs <paramref name="change"/> on an instance under the lock; null when the id is unknown.</summary>
    public T? WithInstance<T>(long id, Func<TaskInstance, DateTimeOffset, T> change)
        where T : class
    {
        lock (gate)
        {
            return instances.TryGetValue(id, out var instance) ? change(instance, time.GetUtcNow()) : null;
        }
    }

    public long? FindByPlacement(ArrayPlacement placement)
    {
        lock (gate)
        {
            return placements.TryGetValue(placement, out var id) ? id : null;
        }
    }

    /// <summary>Sets a status unconditionally; false when the id is unknown.</summary>
    public bool SetStatus(long id, string status) =>
        WithInstance(id, (instance, now) =>
        {
            instance.SetStatus(status, "admin", now);
            return instance;
        }) is not null;

    /// <summary>The rows of every instance of one task, by id (an unknown task has none: the real server answers an empty list).</summary>
    public IReadOnlyList<object> DetailRowsOfTask(long taskId)
    {
        lock (gate)
        {
            return [.. instances.Values.Where(instance => instance.TaskId == taskId).OrderBy(instance => instance.Id).SelectMany(instance => instance.ToDetailRows())];
        }
    }

    public TaskInstanceDetails? Details(long id) => WithInstance(id, (instance, _) => instance.ToDetails());

    public IReadOnlyList<TaskInstanceSummary> Summaries()
    {
        lock (gate)
        {
            return [.. instances.Values.OrderBy(instance => instance.Id).Select(instance => instance.ToSummary())];
        }
    }

    /// <summary>Keeps a request in the global log and, when it names a known instance, in that instance's log.</summary>
    public void Record(RecordedRequest request)
    {
        lock (gate)
        {
            requests.Add(request);
            if (request.TaskInstanceId is { } id && instances.TryGetValue(id, out var instance))
            {
                instance.AddRequest(request);
            }
        }
    }

    public IReadOnlyList<RecordedRequest> Requests()
    {
        lock (gate)
        {
            return [.. requests];
        }
    }

    /// <summary>Forgets everything; ids start again from 1.</summary>
    public void Clear()
    {
        lock (gate)
        {
            instances.Clear();
            placements.Clear();
            requests.Clear();
            lastId = 0;
        }
    }
}
