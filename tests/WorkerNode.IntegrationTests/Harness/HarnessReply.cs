using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace WorkerNode.IntegrationTests.Harness;

/// <summary>A harness answer read to the end: status, raw body text, content headers.</summary>
public sealed record HarnessReply(HttpStatusCode Status, string Text, HttpContentHeaders ContentHeaders)
{
    /// <summary>The body parsed as JSON (throws when it is not JSON).</summary>
    public JsonElement Json()
    {
        using var document = JsonDocument.Parse(Text);
        return document.RootElement.Clone();
    }
}
