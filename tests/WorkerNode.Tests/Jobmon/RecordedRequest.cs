namespace WorkerNode.Tests.Jobmon;

/// <summary>What the test server received.</summary>
internal sealed record RecordedRequest(
    int Number,
    string Method,
    string Path,
    string Query,
    IReadOnlyDictionary<string, string> Headers,
    string Body,
    CancellationToken Aborted)
{
    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;
}
