using System.Text.Json;
using WorkerNode.Harness.Faults;

namespace WorkerNode.Harness.State;

/// <summary>One request a worker sent, as received, with what the harness did with it.</summary>
/// <param name="Route">The route name (for example <c>log_done</c>).</param>
/// <param name="Authorization">The Authorization header as sent (a test harness keeps it, to check that a token arrives).</param>
/// <param name="Body">The parsed JSON body as sent; null when there was none or it was not JSON.</param>
/// <param name="BodyText">The raw body, kept only when it was not JSON.</param>
/// <param name="TaskInstanceId">The instance id the request named or resolved to, if any.</param>
/// <param name="Fault">The fault mode that fired on this request, if any.</param>
/// <param name="StatusCode">The status answered; null when the connection was dropped instead.</param>
/// <param name="Applied">True when the request had its effect on the state.</param>
public sealed record RecordedRequest(
    string Method,
    string Route,
    string Path,
    string QueryString,
    string? ClientJobmonVersion,
    string? StructlogContext,
    string? Authorization,
    JsonElement? Body,
    string? BodyText,
    DateTimeOffset Time,
    long? TaskInstanceId,
    FaultMode? Fault,
    int? StatusCode,
    bool Applied);
