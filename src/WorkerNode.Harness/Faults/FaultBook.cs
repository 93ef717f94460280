namespace WorkerNode.Harness.Faults;

/// <summary>The armed faults, consulted in the order they were armed; one lock, as requests arrive in parallel.</summary>
internal sealed class FaultBook
{
    private readonly Lock gate = new();
    private readonly List<Fault> faults = [];
    private int lastId;

    public Fault Add(FaultRequest request)
    {
        lock (gate)
        {
            var fault = Fault.From(++lastId, request);
            faults.Add(fault);
            return fault;
        }
    }

    /// <summary>Fires the first fault armed for <paramref name="route"/>, if any, and returns it with its new count.</summary>
    public Fault? TryTake(string route)
    {
        lock (gate)
        {
            var index = faults.FindIndex(fault => fault.Matches(route));
            if (index < 0)
            {
                return null;
            }

            var fired = faults[index] with { Fired = faults[index].Fired + 1 };
            faults[index] = fired;
            return fired;
        }
    }

    public IReadOnlyList<Fault> List()
    {
        lock (gate)
        {
            return [.. faults];
        }
    }

    public void Clear()
    {
        lock (gate)
        {
            faults.Clear();
            lastId = 0;
        }
    }
}
