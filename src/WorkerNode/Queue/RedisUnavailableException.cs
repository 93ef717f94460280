namespace WorkerNode.Queue;

/// <summary>Redis cannot be used at all as configured (wrong password, refused by ACL): waiting will not help.</summary>
public sealed class RedisUnavailableException : Exception
{
    public RedisUnavailableException(string message, Exception? inner = null)
        : base(message, inner)
    {
    }

    public RedisUnavailableException()
    {
    }

    public RedisUnavailableException(string message)
        : base(message)
    {
    }
}
