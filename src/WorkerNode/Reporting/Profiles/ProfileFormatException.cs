namespace WorkerNode.Reporting.Profiles;

/// <summary>A file that is not a profile this worker can read; the message names the file and the line.</summary>
public sealed class ProfileFormatException : Exception
{
    public ProfileFormatException(string message)
        : base(message)
    {
    }

    public ProfileFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public ProfileFormatException()
    {
    }
}
