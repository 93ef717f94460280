using System.Text.Json.Serialization;

namespace WorkerNode.Queue;

/// <summary>
/// The value of NAME:lease:ID while a worker runs the item: who runs it, where, since when. Readable by anyone
/// (<c>redis-cli --scan --pattern 'NAME:lease:*'</c>); its TTL says how long the worker has left to renew it.
/// </summary>
public sealed record Lease
{
    [JsonPropertyName("id")]
    public required string Id { get; init; }

    [JsonPropertyName("node")]
    public required string Node { get; init; }

    [JsonPropertyName("worker_pid")]
    public required int WorkerPid { get; init; }

    [JsonPropertyName("pid")]
    public required int Pid { get; init; }

    [JsonPropertyName("started_at")]
    public required DateTimeOffset StartedAt { get; init; }

    /// <summary>Unique to this take of the item: a worker whose lease was recovered and taken over can tell.</summary>
    [JsonPropertyName("token")]
    public required string Token { get; init; }

    /// <summary>Null until the start script has counted it (it adds the field itself).</summary>
    [JsonPropertyName("attempt")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? Attempt { get; init; }
}
