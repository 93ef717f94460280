using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace WorkerNode.Harness;

/// <summary>The one JSON dialect of the harness: snake_case on the wire, unknown admin fields rejected.</summary>
internal static class HarnessJson
{
    /// <summary>Frozen options (read-only once built), so sharing them is safe.</summary>
    public static JsonSerializerOptions Options { get; } = Create();

    private static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions
        {
            PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,

            // No browser reads this: write <class 'KeyError'> as the Python server does, not as \u003Cclass \u0027...
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
            UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
            Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower, allowIntegerValues: false) },
        };
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
