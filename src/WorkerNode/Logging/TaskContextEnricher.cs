using Serilog.Core;
using Serilog.Events;

namespace WorkerNode.Logging;

/// <summary>Adds the process id and the task's identity (as far as known when the line is written) to every event.</summary>
internal sealed class TaskContextEnricher : ILogEventEnricher
{
    /// <summary>The worker's own pid: not "pid", which events use for the command's.</summary>
    public const string WorkerPidProperty = "worker_pid";

    private readonly LogContext _context;
    private readonly LogEventProperty _pid = new(WorkerPidProperty, new ScalarValue(Environment.ProcessId));

    public TaskContextEnricher(LogContext context) => _context = context;

    public void Enrich(LogEvent logEvent, ILogEventPropertyFactory propertyFactory)
    {
        logEvent.AddPropertyIfAbsent(_pid);
        if (_context.TaskInstanceId is { } id)
        {
            logEvent.AddPropertyIfAbsent(new LogEventProperty("task_instance_id", new ScalarValue(id)));
        }

        if (_context.DistributorId is { } distributorId)
        {
            logEvent.AddPropertyIfAbsent(new LogEventProperty("distributor_id", new ScalarValue(distributorId)));
        }

        if (_context.Nodename is { } nodename)
        {
            logEvent.AddPropertyIfAbsent(new LogEventProperty("nodename", new ScalarValue(nodename)));
        }
    }
}
