using System.Text.Json.Serialization;

namespace WorkerNode.Jobmon.Wire;

/// <summary>
/// Source-generated JSON metadata for everything the worker writes to the server or the spool
/// (trim-safe, no reflection). Snake-case names as the server expects; a null field is left out,
/// which is how log_running says "distributor id unknown". Reading (a spool envelope) refuses a
/// missing or null field that is not nullable, rather than sending a half-read report.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    RespectNullableAnnotations = true,
    RespectRequiredConstructorParameters = true,
    Converters = [typeof(TaskInstanceStatusJsonConverter)])]
[JsonSerializable(typeof(LogRunningBody))]
[JsonSerializable(typeof(LogReportByBody))]
[JsonSerializable(typeof(FinalReportBody))]
[JsonSerializable(typeof(LogErrorWorkerNodeBody))]
[JsonSerializable(typeof(StructlogContext))]
[JsonSerializable(typeof(FinalReportEnvelope))]
internal sealed partial class JobmonJsonContext : JsonSerializerContext;
