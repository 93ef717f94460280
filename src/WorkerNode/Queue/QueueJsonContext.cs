using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace WorkerNode.Queue;

/// <summary>Source-generated JSON for the queue's records (one line each, no reflection at run time).</summary>
[JsonSerializable(typeof(ItemResult))]
[JsonSerializable(typeof(Lease))]
internal sealed partial class QueueJsonContext : JsonSerializerContext
{
    /// <summary>
    /// Records are read by people (redis-cli) and by other programs, never embedded in HTML: quotes and
    /// apostrophes in an item stay as they are instead of becoming \u0022.
    /// </summary>
    public static QueueJsonContext Readable { get; } = new(new JsonSerializerOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
}
