using System.Text.Json.Serialization;

namespace WorkerNode.Logging;

/// <summary>Source-generated JSON metadata for quoting log values (trim-safe).</summary>
[JsonSerializable(typeof(string))]
internal sealed partial class LogJsonContext : JsonSerializerContext;
