using System.Text;
using System.Text.Json;

namespace WorkerNode.Harness.Worker;

/// <summary>A worker's request body, read once: kept as sent for the record, read field by field as the Python routes do.</summary>
internal sealed class RequestBody
{
    private readonly string? parseError;

    private RequestBody(string text, JsonElement? json, string? parseError)
    {
        Text = text;
        Json = json;
        this.parseError = parseError;
    }

    public string Text { get; }

    /// <summary>The parsed body; null when it was empty or not JSON.</summary>
    public JsonElement? Json { get; }

    public static async Task<RequestBody> ReadAsync(HttpRequest request, CancellationToken ct)
    {
        using var reader = new StreamReader(request.Body, Encoding.UTF8);
        var text = await reader.ReadToEndAsync(ct);
        if (text.Length == 0)
        {
            // The message json.loads gives for an empty document.
            return new RequestBody(text, null, "Expecting value: line 1 column 1 (char 0)");
        }

        try
        {
            using var document = JsonDocument.Parse(text);
            return new RequestBody(text, document.RootElement.Clone(), null);
        }
        catch (JsonException e)
        {
            return new RequestBody(text, null, e.Message);
        }
    }

    /// <summary>A field the route reads as <c>data["name"]</c>: its absence raises KeyError.</summary>
    public string? RequiredText(string name) => TextOf(Required(name));

    public double RequiredNumber(string name) => NumberOf(name, Required(name)) ?? throw UnsupportedType("NoneType", name);

    /// <summary>A field the route reads as <c>data.get("name")</c>: absent and null both give null.</summary>
    public string? OptionalText(string name) => Object().TryGetProperty(name, out var value) ? TextOf(value) : null;

    public double? OptionalNumber(string name) => Object().TryGetProperty(name, out var value) ? NumberOf(name, value) : null;

    private JsonElement Required(string name) =>
        Object().TryGetProperty(name, out var value) ? value : throw ServerError.KeyError(name);

    private JsonElement Object()
    {
        if (Json is not { } json)
        {
            throw ServerError.JsonDecodeError(parseError ?? "no body");
        }

        return json.ValueKind == JsonValueKind.Object ? json : throw ServerError.NotAnObject(PythonTypeName(json.ValueKind));
    }

    // Stores text the way a VARCHAR column would hold it: strings as they are, anything else as its JSON.
    private static string? TextOf(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Null => null,
        JsonValueKind.String => value.GetString(),
        _ => value.GetRawText(),
    };

    private static double? NumberOf(string name, JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Null => null,
        JsonValueKind.Number => value.GetDouble(),
        _ => throw UnsupportedType(PythonTypeName(value.ValueKind), name),
    };

    // Python's message names only the type; the field name is ours, to say which one.
    private static ServerError UnsupportedType(string pythonTypeName, string field) =>
        ServerError.TypeError($"unsupported type for timedelta seconds component: {pythonTypeName} (field '{field}')");

    private static string PythonTypeName(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Array => "list",
        JsonValueKind.String => "str",
        JsonValueKind.Number => "float",
        JsonValueKind.True or JsonValueKind.False => "bool",
        JsonValueKind.Null => "NoneType",
        _ => "dict",
    };
}
