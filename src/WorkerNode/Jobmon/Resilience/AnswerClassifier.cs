using System.Net.Sockets;
using System.Security.Authentication;
using System.Text.Json;
using Polly.Timeout;

namespace WorkerNode.Jobmon.Resilience;

/// <summary>The retry rules of PROTOCOL.md §3 as one pure function of an attempt's status, body and exception.</summary>
internal static class AnswerClassifier
{
    public static bool IsSuccessStatus(int statusCode) => statusCode is 200 or 302 or 307;

    public static bool ShouldRetry(AnswerKind kind) => kind is AnswerKind.Transient or AnswerKind.Malformed;

    /// <summary>Classifies an attempt that ended with an exception, or else with a status and its body.</summary>
    public static AnswerKind Classify(int? statusCode, string? body, Exception? error) => error switch
    {
        null => ClassifyStatus(statusCode ?? throw new ArgumentNullException(nameof(statusCode)), body),
        MalformedAnswerException => AnswerKind.Malformed,
        HttpRequestException { InnerException: AuthenticationException } => AnswerKind.Untrusted,
        HttpRequestException or IOException or SocketException or TimeoutRejectedException => AnswerKind.Transient,
        _ => AnswerKind.NotOurs,
    };

    /// <summary>
    /// True when an attempt found no server at all: the connection was refused or reset, the host
    /// name did not resolve, the network or host is unreachable. A timeout is not: a server that
    /// accepted the connection but answers slowly is there, only busy.
    /// </summary>
    public static bool IsNoContact(Exception? error)
    {
        if (error is HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError })
        {
            return true;
        }

        for (var inner = error; inner is not null; inner = inner.InnerException)
        {
            if (inner is SocketException { SocketErrorCode: SocketError.ConnectionRefused or SocketError.ConnectionReset or SocketError.HostNotFound or SocketError.HostUnreachable or SocketError.NetworkUnreachable or SocketError.TryAgain })
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The real server's answer for an id it does not have: a 500 whose error is SQLAlchemy's NoResultFound.</summary>
    public static bool IsNoResultFound(string? body)
    {
        if (string.IsNullOrEmpty(body))
        {
            return false;
        }

        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind != JsonValueKind.Object
                || !document.RootElement.TryGetProperty("error", out var error)
                || error.ValueKind != JsonValueKind.Object)
            {
                return false;
            }

            return Contains(error, "type", "NoResultFound") || Contains(error, "exception_message", "No row was found");
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static AnswerKind ClassifyStatus(int statusCode, string? body) => statusCode switch
    {
        _ when IsSuccessStatus(statusCode) => AnswerKind.Success,
        423 => AnswerKind.Transient,
        >= 500 when IsNoResultFound(body) => AnswerKind.UnknownTaskInstance,
        >= 500 => AnswerKind.Transient,
        _ => AnswerKind.Refused,
    };

    private static bool Contains(JsonElement error, string property, string text) =>
        error.TryGetProperty(property, out var value)
        && value.ValueKind == JsonValueKind.String
        && value.GetString()!.Contains(text, StringComparison.Ordinal);
}
