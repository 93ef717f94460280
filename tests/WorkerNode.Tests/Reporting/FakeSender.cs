using WorkerNode.Jobmon;

namespace WorkerNode.Tests.Reporting;

/// <summary>A final-report sender that answers as the test says and records what it was given.</summary>
internal sealed class FakeSender(Func<FinalReportEnvelope, CancellationToken, Task<TaskInstanceStatus>> answer) : IFinalReportSender
{
    public List<FinalReportEnvelope> Sent { get; } = [];

    /// <summary>The (task id, task instance id) of every details lookup, in order.</summary>
    public List<(long TaskId, long TaskInstanceId)> Lookups { get; } = [];

    /// <summary>Every heartbeat sent, with its instance.</summary>
    public List<(long TaskInstanceId, HeartbeatReport Report)> Heartbeats { get; } = [];

    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>The details route's answer; by default the route is missing, as on an older server.</summary>
    public Func<long, long, Task<TaskInstanceLookup>> Lookup { get; init; } =
        (_, _) => Task.FromResult(TaskInstanceLookup.Unavailable("the Jobmon server refused GET /task/get_ti_details_viz: HTTP 404 Not Found"));

    /// <summary>The heartbeat's answer; R by default.</summary>
    public Func<long, HeartbeatReport, Task<TaskInstanceStatus>> Heartbeat { get; init; } = (_, _) => Task.FromResult(TaskInstanceStatus.Running);

    public Task<TaskInstanceStatus> SendEnvelopeAsync(FinalReportEnvelope envelope, CancellationToken cancellationToken)
    {
        lock (Sent)
        {
            Sent.Add(envelope);
        }

        return answer(envelope, cancellationToken);
    }

    public Task<TaskInstanceLookup> LookUpTaskInstanceAsync(long taskId, long taskInstanceId, CancellationToken cancellationToken)
    {
        lock (Sent)
        {
            Lookups.Add((taskId, taskInstanceId));
        }

        return Lookup(taskId, taskInstanceId);
    }

    public Task<TaskInstanceStatus> LogReportByAsync(long taskInstanceId, HeartbeatReport report, CancellationToken cancellationToken)
    {
        lock (Sent)
        {
            Heartbeats.Add((taskInstanceId, report));
        }

        return Heartbeat(taskInstanceId, report);
    }
}
