namespace WorkerNode.Harness.Admin;

/// <summary>An admin request the harness refuses; answered as <c>{"error": message}</c> with the status code.</summary>
internal sealed class AdminProblem(int statusCode, string message) : Exception(message)
{
    public int StatusCode { get; } = statusCode;
}
