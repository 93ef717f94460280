using System.Net.Sockets;
using System.Security.Authentication;
using Polly.Timeout;
using WorkerNode.Jobmon.Resilience;

namespace WorkerNode.Tests.Jobmon;

/// <summary>The retry rules of PROTOCOL.md §3, as a table.</summary>
public sealed class AnswerClassifierTests
{
    private const string NoResultFoundType = """{"error": {"type": "<class 'sqlalchemy.exc.NoResultFound'>", "exception_message": "x", "status_code": "500"}}""";
    private const string NoRowMessage = """{"error": {"type": "InternalError", "exception_message": "No row was found when one was required", "status_code": "500"}}""";

    [Theory]
    [InlineData(200, null, nameof(AnswerKind.Success))]
    [InlineData(302, null, nameof(AnswerKind.Success))]
    [InlineData(307, null, nameof(AnswerKind.Success))]
    [InlineData(201, null, nameof(AnswerKind.Refused))]
    [InlineData(204, null, nameof(AnswerKind.Refused))]
    [InlineData(301, null, nameof(AnswerKind.Refused))]
    [InlineData(400, null, nameof(AnswerKind.Refused))]
    [InlineData(401, null, nameof(AnswerKind.Refused))]
    [InlineData(404, NoResultFoundType, nameof(AnswerKind.Refused))]
    [InlineData(422, null, nameof(AnswerKind.Refused))]
    [InlineData(429, null, nameof(AnswerKind.Refused))]
    [InlineData(423, null, nameof(AnswerKind.Transient))]
    [InlineData(500, null, nameof(AnswerKind.Transient))]
    [InlineData(500, "<html>Internal Server Error</html>", nameof(AnswerKind.Transient))]
    [InlineData(500, """{"error": {"type": "OperationalError", "exception_message": "database is locked"}}""", nameof(AnswerKind.Transient))]
    [InlineData(500, """{"error": "NoResultFound"}""", nameof(AnswerKind.Transient))]
    [InlineData(502, null, nameof(AnswerKind.Transient))]
    [InlineData(503, null, nameof(AnswerKind.Transient))]
    [InlineData(504, null, nameof(AnswerKind.Transient))]
    [InlineData(500, NoResultFoundType, nameof(AnswerKind.UnknownTaskInstance))]
    [InlineData(500, NoRowMessage, nameof(AnswerKind.UnknownTaskInstance))]
    [InlineData(503, NoResultFoundType, nameof(AnswerKind.UnknownTaskInstance))]
    public void Statuses(int status, string? body, string expected) =>
        Assert.Equal(expected, AnswerClassifier.Classify(status, body, null).ToString());

    [Theory]
    [InlineData("connection refused", nameof(AnswerKind.Transient))]
    [InlineData("io", nameof(AnswerKind.Transient))]
    [InlineData("socket", nameof(AnswerKind.Transient))]
    [InlineData("attempt timeout", nameof(AnswerKind.Transient))]
    [InlineData("malformed", nameof(AnswerKind.Malformed))]
    [InlineData("untrusted certificate", nameof(AnswerKind.Untrusted))]
    [InlineData("cancelled", nameof(AnswerKind.NotOurs))]
    [InlineData("bug", nameof(AnswerKind.NotOurs))]
    public void Exceptions(string error, string expected)
    {
        Exception exception = error switch
        {
            "connection refused" => new HttpRequestException("Connection refused", new SocketException((int)SocketError.ConnectionRefused)),
            "io" => new IOException("The response ended prematurely."),
            "socket" => new SocketException((int)SocketError.ConnectionReset),
            "attempt timeout" => new TimeoutRejectedException(),
            "malformed" => new MalformedAnswerException(200, "the body is not JSON"),
            "untrusted certificate" => new HttpRequestException("The SSL connection could not be established", new AuthenticationException("UntrustedRoot")),
            "cancelled" => new OperationCanceledException(),
            _ => new InvalidOperationException(),
        };

        Assert.Equal(expected, AnswerClassifier.Classify(null, null, exception).ToString());
    }

    [Theory]
    [InlineData(nameof(AnswerKind.Transient), true)]
    [InlineData(nameof(AnswerKind.Malformed), true)]
    [InlineData(nameof(AnswerKind.Success), false)]
    [InlineData(nameof(AnswerKind.UnknownTaskInstance), false)]
    [InlineData(nameof(AnswerKind.Refused), false)]
    [InlineData(nameof(AnswerKind.Untrusted), false)]
    [InlineData(nameof(AnswerKind.NotOurs), false)]
    public void OnlyTransientAndMalformedAreRetried(string kind, bool retried) =>
        Assert.Equal(retried, AnswerClassifier.ShouldRetry(Enum.Parse<AnswerKind>(kind)));
}
