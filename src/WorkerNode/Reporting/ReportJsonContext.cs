using System.Text.Json.Serialization;

namespace WorkerNode.Reporting;

/// <summary>Source-generated JSON for reports (trim-safe, no reflection at run time).</summary>
[JsonSourceGenerationOptions(WriteIndented = true, DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(RunReport))]
internal sealed partial class ReportJsonContext : JsonSerializerContext;
