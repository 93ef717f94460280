namespace WorkerNode.Queue;

/// <summary>
/// The Redis keys of one queue NAME: the list producers push to, the worker-side lists and the bookkeeping.
/// All share the prefix NAME so that a Redis Cluster user can hash-tag them into one slot (<c>{jobs}</c>).
/// </summary>
public sealed record QueueKeys(string Name)
{
    /// <summary>NAME: producers LPUSH items; workers take from the right (first in, first out).</summary>
    public string Pending => Name;

    /// <summary>NAME:processing: items taken and not yet finished.</summary>
    public string Processing => Name + ":processing";

    /// <summary>NAME:done: result records of items whose command exited 0.</summary>
    public string Done => Name + ":done";

    /// <summary>NAME:failed: result records of failed, malformed and given-up items.</summary>
    public string Failed => Name + ":failed";

    /// <summary>NAME:stop: while it exists, every worker finishes its current item and exits.</summary>
    public string Stop => Name + ":stop";

    /// <summary>NAME:final: the ids that already have their final record (a late duplicate is dropped).</summary>
    public string Final => Name + ":final";

    /// <summary>NAME:attempts: a hash id → how many times the item's lease expired.</summary>
    public string Attempts => Name + ":attempts";

    /// <summary>NAME:unleased: a hash id → when recovery first saw the item in processing without a lease.</summary>
    public string Unleased => Name + ":unleased";

    /// <summary>NAME:lease:: the prefix of the lease keys, one per running item (NAME:lease:ID).</summary>
    public string LeasePrefix => Name + ":lease:";

    public string Lease(string id) => LeasePrefix + id;
}
