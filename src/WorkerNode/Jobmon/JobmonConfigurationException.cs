namespace WorkerNode.Jobmon;

/// <summary>The http settings cannot make a client (no service URL, an unreadable CA bundle, a malformed token); nothing was sent.</summary>
public sealed class JobmonConfigurationException : JobmonException
{
    public JobmonConfigurationException(string message, Exception? inner = null)
        : base(message, inner)
    {
    }
}
