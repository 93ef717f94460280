using System.Text.Json.Serialization;

namespace WorkerNode.Reporting;

/// <summary>
/// Source-generated JSON of spool files (trim-safe). Indented, for the person who opens one; every
/// field required on reading, so that a damaged file is refused rather than half-sent.
/// </summary>
[JsonSourceGenerationOptions(
    WriteIndented = true,
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    RespectNullableAnnotations = true,
    RespectRequiredConstructorParameters = true,
    Converters = [typeof(FinalReportEnvelopeJsonConverter)])]
[JsonSerializable(typeof(SpooledReport))]
internal sealed partial class SpoolJsonContext : JsonSerializerContext;
