namespace WorkerNode.Harness.Worker;

/// <summary>A response body sent byte for byte, labelled as JSON whether or not it is.</summary>
internal sealed record RawBody(string Text);
