using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using WorkerNode.Jobmon.Resilience;
using WorkerNode.Jobmon.Transport;
using WorkerNode.Jobmon.Wire;

namespace WorkerNode.Jobmon;

/// <summary>
/// The typed HTTP client of the Jobmon routes a worker calls (PROTOCOL.md §4); build it with
/// <see cref="JobmonClientFactory.Create(WorkerNode.Configuration.HttpSettings, WorkerNode.Configuration.HeartbeatSettings, string, string?, WorkerNode.Logging.WorkerLog, TimeProvider?)"/>.
/// Every call goes through the resilience pipeline; heartbeats as single attempts (the heartbeat loop retries them).
/// </summary>
public sealed class JobmonClient : IJobmonClient, IFinalReportSender, IDisposable
{
    private readonly JobmonTransport _transport;
    private readonly string? _token;
    private readonly CallRules _rules;
    private readonly CallRules _heartbeatRules;
    private readonly string _server;
    private readonly string _version;
    private readonly string? _authorization;
    private readonly string? _clusterName;

    /// <param name="transport">Owned by the client from now on.</param>
    /// <param name="baseAddress">service_url and route_prefix, ending in '/': for messages (the transport sends to it).</param>
    /// <param name="token">The bearer token, or null.</param>
    internal JobmonClient(
        JobmonTransport transport,
        Uri baseAddress,
        string? token,
        CallRules rules,
        CallRules heartbeatRules,
        string expectedJobmonVersion,
        string? clusterName)
    {
        _transport = transport;
        _token = token;
        _rules = rules;
        _heartbeatRules = heartbeatRules;
        _server = JobmonAddress.Display(baseAddress);
        _version = expectedJobmonVersion;
        _authorization = token is null ? null : "Bearer " + token;
        _clusterName = clusterName;
    }

    public TimeSpan RequestTimeout => _rules.Budget.RequestTimeout;

    public Task<long> GetArrayTaskInstanceIdAsync(long arrayId, long batchNumber, long arrayStepId, CancellationToken cancellationToken)
    {
        var call = JobmonCall.ForArrayStep(arrayId, batchNumber, arrayStepId);
        return SendAsync(call, AnswerParser.ArrayTaskInstanceId, _rules, cancellationToken);
    }

    public Task<TaskInstanceAssignment> LogRunningAsync(long taskInstanceId, RunningReport report, CancellationToken cancellationToken) =>
        LogRunningAsync(taskInstanceId, PrepareLogRunning(report), cancellationToken);

    /// <summary>
    /// The body of log_running, serialized before the client exists: the serializer's first use
    /// costs milliseconds, which then overlap with the building of the transport.
    /// </summary>
    internal static byte[] PrepareLogRunning(RunningReport report) =>
        Serialize(LogRunningBody.From(report), JobmonJsonContext.Default.LogRunningBody);

    internal Task<TaskInstanceAssignment> LogRunningAsync(long taskInstanceId, byte[] preparedBody, CancellationToken cancellationToken) =>
        SendAsync(JobmonCall.ForTaskInstance(taskInstanceId, "log_running", preparedBody), AnswerParser.Assignment, _rules, cancellationToken);

    public Task<TaskInstanceStatus> LogReportByAsync(long taskInstanceId, HeartbeatReport report, CancellationToken cancellationToken)
    {
        var body = Serialize(new LogReportByBody(report), JobmonJsonContext.Default.LogReportByBody);
        return SendAsync(JobmonCall.ForTaskInstance(taskInstanceId, "log_report_by", body), AnswerParser.Status, _heartbeatRules, cancellationToken);
    }

    public Task<TaskInstanceStatus> SendFinalReportAsync(long taskInstanceId, FinalReport report, CancellationToken cancellationToken) =>
        SendEnvelopeAsync(FinalReportEnvelope.Create(taskInstanceId, report), cancellationToken);

    public Task<TaskInstanceStatus> SendEnvelopeAsync(FinalReportEnvelope envelope, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(envelope);

        // An envelope may come back from a damaged spool file: send it only to the two final routes.
        if (envelope.Route is not (FinalReportEnvelope.DoneRoute or FinalReportEnvelope.ErrorRoute))
        {
            throw new ArgumentException(
                $"a final report goes to {FinalReportEnvelope.DoneRoute} or {FinalReportEnvelope.ErrorRoute}, not \"{envelope.Route}\"", nameof(envelope));
        }

        var call = JobmonCall.ForTaskInstance(envelope.TaskInstanceId, envelope.Route, Encoding.UTF8.GetBytes(envelope.Body));
        return SendAsync(call, AnswerParser.Status, _rules, cancellationToken);
    }

    public void Dispose() => _transport.Dispose();

    private static byte[] Serialize<T>(T body, JsonTypeInfo<T> typeInfo) => JsonSerializer.SerializeToUtf8Bytes(body, typeInfo);

    private async Task<T> SendAsync<T>(JobmonCall call, Func<byte[], T> parse, CallRules rules, CancellationToken cancellationToken)
    {
        T answer = default!;
        var (outcome, attempts) = await _transport.Pipeline.ExecuteAsync(
            call.Label,
            rules,
            async token =>
            {
                // Refit's generated method sends it and returns once the headers are in; the body is
                // read here, up to a bound (HttpClient would buffer any size).
                var response = await call.Send(_transport.Api, CreateRequest(call), token);
                var status = (int)response.StatusCode;
                byte[]? body;
                try
                {
                    body = await BoundedAnswer.ReadAsync(response.Content, BoundedAnswer.MaxBytes, token);
                }
                catch
                {
                    response.Dispose();
                    throw;
                }

                if (body is null)
                {
                    // Disposing closes the connection: the rest of the body is never read.
                    response.Dispose();
                    throw new MalformedAnswerException(status, $"the answer is larger than {BoundedAnswer.MaxBytes / 1024} KiB");
                }

                // The classifier reads error bodies from the response: give it the bounded copy.
                var streamed = response.Content;
                response.Content = new ByteArrayContent(body);
                streamed.Dispose();
                if (AnswerClassifier.IsSuccessStatus(status))
                {
                    try
                    {
                        answer = parse(body);
                    }
                    catch (FormatException problem)
                    {
                        response.Dispose();
                        throw new MalformedAnswerException(status, problem.Message);
                    }
                }

                return response;
            },
            cancellationToken);

        using var response = outcome.Result;
        var last = attempts.Last;
        if (last is { Kind: AnswerKind.Success })
        {
            return answer;
        }

        cancellationToken.ThrowIfCancellationRequested();
        if (last is null or { Kind: AnswerKind.NotOurs })
        {
            // Not about the server (a bug, say): let it through unchanged.
            outcome.ThrowIfException();
            throw new InvalidOperationException($"{call.Label} ended without a classified attempt");
        }

        throw Failure(call, attempts, last, rules.Budget, outcome.Exception);
    }

    private JobmonRequest CreateRequest(JobmonCall call)
    {
        // A fresh content for every attempt: a sent content is not sent again.
        var content = new ByteArrayContent(call.Body ?? []);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        var context = new StructlogContext(call.TaskInstanceId?.ToString(CultureInfo.InvariantCulture), _clusterName);
        return new JobmonRequest(content, _version, JsonSerializer.Serialize(context, JobmonJsonContext.Default.StructlogContext), _authorization);
    }

    private JobmonException Failure(JobmonCall call, AttemptLog attempts, AttemptResult last, RetryBudget budget, Exception? inner)
    {
        var tries = string.Create(
            CultureInfo.InvariantCulture,
            $"{attempts.Count} attempt{(attempts.Count == 1 ? string.Empty : "s")} in {budget.Elapsed(attempts).TotalSeconds:0.0} s");
        return last.Kind switch
        {
            AnswerKind.UnknownTaskInstance => new UnknownTaskInstanceException(
                $"{call.Subject} is unknown to the server at {_server} (it answered {last.StatusCode} NoResultFound): check {call.Hint} and the service URL"),
            AnswerKind.Refused => new UnexpectedServerAnswerException(
                $"the Jobmon server at {_server} refused {call.Label}: {last.Description}", inner),
            AnswerKind.Malformed => new UnexpectedServerAnswerException(
                $"the Jobmon server at {_server} answered {call.Label} with {last.Description} ({tries})", inner),
            AnswerKind.Untrusted => new ServerUnreachableException(
                $"cannot reach the Jobmon server at {_server}: {last.Description} ({call.Label}); not retried: if its certificate comes from a private CA, set http.ca_bundle to that CA's PEM file", inner),
            _ => new ServerUnreachableException(
                $"cannot reach the Jobmon server at {_server}: {tries}, last error: {last.Description} ({call.Label})", inner, last.NoContact),
        };
    }
}
