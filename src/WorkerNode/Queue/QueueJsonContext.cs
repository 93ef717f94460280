using System.Text.Json.Serialization;

namespace WorkerNode.Queue;

/// <summary>Source-generated JSON for the queue's records (one line each, no reflection at run time).</summary>
[JsonSourceGenerationOptions(WriteIndented = false)]
[JsonSerializable(typeof(ItemResult))]
[JsonSerializable(typeof(Lease))]
internal sealed partial class QueueJsonContext : JsonSerializerContext;
