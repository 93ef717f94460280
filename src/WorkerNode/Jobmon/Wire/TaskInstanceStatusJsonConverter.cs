using System.Text.Json;
using System.Text.Json.Serialization;

namespace WorkerNode.Jobmon.Wire;

/// <summary>Writes a status as its one-letter string ("D"), as the server does, and refuses anything else on reading.</summary>
internal sealed class TaskInstanceStatusJsonConverter : JsonConverter<TaskInstanceStatus>
{
    public override TaskInstanceStatus Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var text = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
        return TaskInstanceStatus.TryParse(text, out var status)
            ? status
            : throw new JsonException($"a task instance status must be one of the letters QIORDEZFKXUTW, not {text ?? reader.TokenType.ToString()}");
    }

    public override void Write(Utf8JsonWriter writer, TaskInstanceStatus value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.ToString());
}
