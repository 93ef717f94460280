using System.Globalization;
using System.Net.Sockets;
using System.Security.Authentication;
using Polly;
using Polly.Timeout;

namespace WorkerNode.Jobmon.Resilience;

/// <summary>One attempt's outcome, classified, with a short description for logs and the final message.</summary>
/// <param name="NoContact">The attempt found no server at all (see <see cref="AnswerClassifier.IsNoContact"/>).</param>
internal sealed record AttemptResult(AnswerKind Kind, int? StatusCode, string Description, bool NoContact = false)
{
    /// <param name="clean">Masks secrets and shortens; it sees the whole body, before any cut.</param>
    public static async ValueTask<AttemptResult> FromAsync(Outcome<HttpResponseMessage> outcome, Func<string, string> clean)
    {
        if (outcome.Exception is { } error)
        {
            return new(AnswerClassifier.Classify(null, null, error), null, clean(Describe(error)), AnswerClassifier.IsNoContact(error));
        }

        var response = outcome.Result!;
        var status = (int)response.StatusCode;
        if (AnswerClassifier.IsSuccessStatus(status))
        {
            return new(AnswerKind.Success, status, $"HTTP {status}");
        }

        // The content is already buffered, up to JobmonClient's bound, within the attempt: this is cheap.
        var body = await response.Content.ReadAsStringAsync();
        var kind = AnswerClassifier.Classify(status, body, null);
        var description = kind == AnswerKind.UnknownTaskInstance
            ? $"HTTP {status} NoResultFound"
            : $"HTTP {status} {response.ReasonPhrase}".TrimEnd() + (body.Length > 0 ? ": " + body : string.Empty);
        return new(kind, status, clean(description));
    }

    private static string Describe(Exception error) => error switch
    {
        TimeoutRejectedException timeout => string.Create(CultureInfo.InvariantCulture, $"no answer within {timeout.Timeout.TotalSeconds:0.0} s"),
        HttpRequestException { InnerException: SocketException socket } => socket.Message,
        HttpRequestException { InnerException: AuthenticationException tls } => "TLS handshake failed: " + tls.Message,
        HttpRequestException { InnerException: { } inner } => $"{error.Message} ({inner.Message})",
        _ => error.Message,
    };
}
