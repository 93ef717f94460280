using WorkerNode.Jobmon;

namespace WorkerNode.Tests.Reporting;

/// <summary>A final-report sender that answers as the test says and records what it was given.</summary>
internal sealed class FakeSender(Func<FinalReportEnvelope, CancellationToken, Task<TaskInstanceStatus>> answer) : IFinalReportSender
{
    public List<FinalReportEnvelope> Sent { get; } = [];

    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(20);

    public Task<TaskInstanceStatus> SendEnvelopeAsync(FinalReportEnvelope envelope, CancellationToken cancellationToken)
    {
        lock (Sent)
        {
            Sent.Add(envelope);
        }

        return answer(envelope, cancellationToken);
    }
}
