using System.Text.Json.Serialization;

namespace WorkerNode.Execution;

/// <summary>Output of the command that could not be written where it should go (a full disk, /dev/full, a closed stdout).</summary>
/// <param name="Stream">"stdout" or "stderr".</param>
/// <param name="Path">Where it should have gone.</param>
/// <param name="Bytes">How many bytes were not written there (they are still in the tail, as far as it reaches).</param>
/// <param name="Reason">Why, e.g. "No space left on device".</param>
public sealed record OutputLoss(
    [property: JsonPropertyName("stream")] string Stream,
    [property: JsonPropertyName("path")] string Path,
    [property: JsonPropertyName("bytes")] long Bytes,
    [property: JsonPropertyName("reason")] string Reason)
{
    /// <summary>"1,234 bytes of stdout could not be written to /logs/x.o1: No space left on device".</summary>
    [JsonIgnore]
    public string Description => $"{Bytes.ToString("N0", System.Globalization.CultureInfo.InvariantCulture)} bytes of {Stream} could not be written to {Path}: {Reason}";
}
