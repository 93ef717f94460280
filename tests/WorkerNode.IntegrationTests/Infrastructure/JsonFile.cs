using System.Text.Json;

namespace WorkerNode.IntegrationTests.Infrastructure;

/// <summary>The JSON files a worker writes (reports, spooled outcomes), read whole for assertions.</summary>
public static class JsonFile
{
    /// <summary>The root of the JSON document in <paramref name="path"/>, detached from the parsed document.</summary>
    public static JsonElement Read(string path)
    {
        using var json = JsonDocument.Parse(File.ReadAllText(path));
        return json.RootElement.Clone();
    }
}
