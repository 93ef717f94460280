using System.Text.Json;
using System.Text.Json.Serialization;
using WorkerNode.Jobmon;

namespace WorkerNode.Reporting;

/// <summary>Nests an envelope in a spool file as the envelope's own JSON, so that Jobmon/ alone defines that format.</summary>
internal sealed class FinalReportEnvelopeJsonConverter : JsonConverter<FinalReportEnvelope>
{
    public override FinalReportEnvelope Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        using var document = JsonDocument.ParseValue(ref reader);
        return FinalReportEnvelope.FromJson(document.RootElement.GetRawText());
    }

    public override void Write(Utf8JsonWriter writer, FinalReportEnvelope value, JsonSerializerOptions options) =>
        writer.WriteRawValue(value.ToJson());
}
