namespace WorkerNode.Jobmon.Resilience;

/// <summary>Thrown inside an attempt when a success status carries a body that is not the route's answer, so that the attempt counts as failed.</summary>
internal sealed class MalformedAnswerException : Exception
{
    public MalformedAnswerException(int statusCode, string problem)
        : base($"HTTP {statusCode} but {problem}")
    {
    }
}
