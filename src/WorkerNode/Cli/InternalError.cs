using WorkerNode.Logging;

namespace WorkerNode.Cli;

/// <summary>
/// The last resort for a bug: an exception nothing else handled becomes one line and exit 199, never a stack
/// trace on stderr, where a scheduler's users would read it as the command's own failure.
/// </summary>
internal static class InternalError
{
    private const int MaxMessageLength = 500;

    /// <summary><c>worker-node: internal error: System.InvalidOperationException: what went wrong</c>.</summary>
    public static string Line(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);

        // Task plumbing wraps the exception that matters; name that one.
        while (exception is AggregateException { InnerExceptions.Count: 1 } aggregate)
        {
            exception = aggregate.InnerExceptions[0];
        }

        // One line, bounded, and no credentials: the message may quote a URL or anything else.
        var message = string.Join(' ', UrlRedaction.Redact(exception.Message).Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries));
        if (message.Length > MaxMessageLength)
        {
            message = message[..MaxMessageLength] + "...";
        }

        return $"worker-node: internal error: {exception.GetType().FullName}: {message}";
    }
}
