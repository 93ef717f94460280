using System.Text.Json.Serialization;
using WorkerNode.Reporting;

namespace WorkerNode.Queue;

/// <summary>The final record of an item, pushed to NAME:done or NAME:failed (see docs/work-queue.md).</summary>
public sealed record ItemResult
{
    [JsonPropertyName("id")]
    public required string Id { get; init; }

    /// <summary>"done" (exit 0), "failed" (any other end, or no start), "malformed" (not a valid item); recovery writes "gave_up".</summary>
    [JsonPropertyName("status")]
    public required string Status { get; init; }

    /// <summary>Why it failed, in one sentence; null when done.</summary>
    [JsonPropertyName("reason")]
    public string? Reason { get; init; }

    /// <summary>1 + how many times a worker died holding it.</summary>
    [JsonPropertyName("attempt")]
    public int? Attempt { get; init; }

    [JsonPropertyName("queue")]
    public required string Queue { get; init; }

    [JsonPropertyName("node")]
    public required string Node { get; init; }

    [JsonPropertyName("worker_pid")]
    public required int WorkerPid { get; init; }

    /// <summary>The command's pid (its process group and session); null when it did not start.</summary>
    [JsonPropertyName("pid")]
    public int? Pid { get; init; }

    /// <summary>The item as it was taken from the queue.</summary>
    [JsonPropertyName("item")]
    public required string Item { get; init; }

    [JsonPropertyName("stdout_file")]
    public string? StdoutFile { get; init; }

    [JsonPropertyName("stderr_file")]
    public string? StderrFile { get; init; }

    /// <summary>Exactly what <c>worker-node run --report</c> writes: times, exit, stop reason, tails, usage.</summary>
    [JsonPropertyName("run")]
    public RunReport? Run { get; init; }
}
