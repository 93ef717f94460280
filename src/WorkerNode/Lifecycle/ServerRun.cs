using System.Globalization;
using WorkerNode.Cli;
using WorkerNode.Configuration;
using WorkerNode.Execution;
using WorkerNode.Jobmon;
using WorkerNode.Logging;
using WorkerNode.Monitoring;
using WorkerNode.Reporting;
using WorkerNode.Scheduler;

namespace WorkerNode.Lifecycle;

/// <summary>
/// Server mode, the Python worker's lifecycle (PROTOCOL.md §4–§5): find the task instance, log
/// running, run its command through /bin/sh with the JOBMON_* variables, heartbeat, report the
/// outcome once, and exit with the command's status.
/// </summary>
public sealed class ServerRun
{
    private readonly ServerOptions _options;
    private readonly WorkerSettings _settings;
    private readonly CliContext _context;
    private readonly WorkerLog _log;

    public ServerRun(ServerOptions options, WorkerSettings settings, CliContext context, WorkerLog log)
    {
        _options = options;
        _settings = settings;
        _context = context;
        _log = log;
    }

    public async Task<int> ExecuteAsync(CancellationToken cancellationToken)
    {
        if (_settings.Http.ServiceUrl is null)
        {
            _log.Error(ConfigurationLoader.MissingServiceUrl().Message);
            return ExitCodes.Environment;
        }

        // Building the client (service provider, IHttpClientFactory, the retry pipelines) is the
        // longest step before the first request; it runs on another core while this thread does
        // everything that does not need it.
        var clientCreation = Task.Run(() => JobmonClientFactory.Create(_settings.Http, _settings.Heartbeat, _options.ExpectedJobmonVersion, _options.ClusterName, _log, _context.Time), cancellationToken);

        SchedulerFacts facts;
        try
        {
            facts = SchedulerDetector.Detect(_context.Environment, Environment.ProcessId);
        }
        catch (SchedulerEnvironmentException exception)
        {
            _log.Error(exception.Message);
            return await AbandonAsync(clientCreation, ExitCodes.Environment).ConfigureAwait(false);
        }

        _log.Context.DistributorId = facts.DistributorId;
        if (_options.Task is ServerTask.ArrayTask && facts.ArrayStepId is null)
        {
            _log.Error("worker_node_array needs the scheduler's array index, but none of SLURM_ARRAY_TASK_ID, SGE_TASK_ID, ARRAY_STEP_ID, PBS_ARRAY_INDEX or LSB_JOBINDEX is set");
            return await AbandonAsync(clientCreation, ExitCodes.Environment).ConfigureAwait(false);
        }

        var nodenameLookup = new FqdnResolver(_context.Time).ResolveAsync(cancellationToken);
        using var signals = new SignalRouter();
        var limits = LimitsResolver.Resolve(_settings.WorkerNode, serverMode: true, () => facts.Kind, _context.Environment, _log, _context.Time);
        using var monitor = CommandMonitor.Prepare(limits, _settings.WorkerNode, _log, _context.Time);

        JobmonClient client;
        try
        {
            client = await clientCreation.ConfigureAwait(false);
        }
        catch (JobmonConfigurationException exception)
        {
            _log.Error(exception.Message);
            return ExitCodes.Environment;
        }

        using var disposeClient = client;
        await using var spoolFlush = BackgroundSpoolFlush.Start(Spool(), client, Destination(), _log, _context.Time);

        long taskInstanceId;
        TaskInstanceAssignment assignment;
        string nodename;
        try
        {
            taskInstanceId = await ResolveTaskInstanceAsync(client, facts, cancellationToken).ConfigureAwait(false);
            _log.Context.TaskInstanceId = taskInstanceId;
            nodename = await nodenameLookup.ConfigureAwait(false);
            _log.Context.Nodename = nodename;
            var running = new RunningReport(nodename, Environment.ProcessId, _settings.Heartbeat.NextReportIncrementSeconds, facts.DistributorId);
            assignment = await client.LogRunningAsync(taskInstanceId, running, cancellationToken).ConfigureAwait(false);
        }
        catch (JobmonException exception)
        {
            _log.Error(exception.Message);
            return ExitCodes.WorkerFailed;
        }

        var loggedRunningAt = _context.Time.GetUtcNow();
        if (assignment.Status != TaskInstanceStatus.Running)
        {
            _log.Error($"the server answered log_running with status {assignment.Status}, not R: the command is not run");
            return ExitCodes.WorkerFailed;
        }

        var stdout = LogTarget(assignment.StdoutDir, assignment.Name, 'o', facts.DistributorId);
        var stderr = LogTarget(assignment.StderrDir, assignment.Name, 'e', facts.DistributorId);
        var reportContext = new OutcomeDecision.ReportContext(stdout.DisplayPath, stderr.DisplayPath, nodename, facts.DistributorId, null);
        _log.Info("running the task instance", ("name", assignment.Name), ("stdout", stdout.DisplayPath), ("stderr", stderr.DisplayPath));
        _log.Debug("command from the server", ("command", assignment.Command));

        if (signals.StopSignal is { } early)
        {
            var stopped = SignalRouter.OutsideStop(early);
            var description = $"{stopped.Description}, before the command started";
            return await DeliverAsync(client, taskInstanceId, new ServerOutcome(Failure(reportContext, description), 128 + early, description), cancellationToken).ConfigureAwait(false);
        }

        var spec = CommandSpec.Shell(assignment.Command, JobmonVariables(assignment), stdout, stderr);
        SupervisedCommand command;
        try
        {
            command = SupervisedCommand.Start(spec, _settings.WorkerNode.CommandInterruptTimeout, _log, _context.Time);
        }
        catch (CommandStartException exception)
        {
            _log.Error(exception.Message);
            var exitCode = exception.IsLogFileProblem ? ExitCodes.Environment : ExitCodes.WorkerFailed;
            var outcome = new ServerOutcome(Failure(reportContext, exception.Message), exitCode, exception.Message);
            var delivered = await DeliverAsync(client, taskInstanceId, outcome, cancellationToken).ConfigureAwait(false);
            return delivered == ExitCodes.WorkerFailed ? delivered : exitCode;
        }

        monitor.Watch(command);
        signals.Attach(command);
        using var heartbeatsDone = new CancellationTokenSource();
        var heartbeats = new HeartbeatLoop(
            client,
            taskInstanceId,
            () => new HeartbeatReport(_settings.Heartbeat.NextReportIncrementSeconds, stdout.DisplayPath, stderr.DisplayPath, facts.DistributorId, UsageFormat.ToFields(monitor.Current())),
            _settings,
            _log,
            _context.Time).RunAsync(command, loggedRunningAt, heartbeatsDone.Token);

        var result = await command.WaitAsync(cancellationToken).ConfigureAwait(false);
        await heartbeatsDone.CancelAsync().ConfigureAwait(false);
        await heartbeats.ConfigureAwait(false);
        var usage = await monitor.FinishAsync(result).ConfigureAwait(false);
        UsageFormat.LogCommandEnded(_log, result, usage);
        var measured = reportContext with { Usage = UsageFormat.ToFields(usage), KernelOomKill = UsageFormat.KernelOomKill(usage) };
        return await DeliverAsync(client, taskInstanceId, OutcomeDecision.Decide(result, measured), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Gives up before anything was sent: the client being built is disposed once ready.</summary>
    private static async Task<int> AbandonAsync(Task<JobmonClient> clientCreation, int exitCode)
    {
        try
        {
            (await clientCreation.ConfigureAwait(false)).Dispose();
        }
        catch (JobmonConfigurationException)
        {
            // The environment error already reported wins.
        }

        return exitCode;
    }

    private async Task<long> ResolveTaskInstanceAsync(IJobmonClient client, SchedulerFacts facts, CancellationToken cancellationToken)
    {
        switch (_options.Task)
        {
            case ServerTask.Job job:
                return job.TaskInstanceId;
            case ServerTask.ArrayTask array:
                return await client.GetArrayTaskInstanceIdAsync(array.ArrayId, array.BatchNumber, facts.ArrayStepId ?? 0, cancellationToken).ConfigureAwait(false);
            default:
                throw new ArgumentOutOfRangeException(nameof(facts), _options.Task, "unknown kind of server task");
        }
    }

    /// <summary>Sends the final report once; the worker exits 199 when it cannot be delivered or is refused.</summary>
    private async Task<int> DeliverAsync(IJobmonClient client, long taskInstanceId, ServerOutcome outcome, CancellationToken cancellationToken)
    {
        _log.Info(outcome.Summary);
        if (outcome.Report is not { } report)
        {
            return outcome.ExitCode;
        }

        try
        {
            var status = await client.SendFinalReportAsync(taskInstanceId, report, cancellationToken).ConfigureAwait(false);
            if (status != report.TargetStatus)
            {
                _log.Error($"the server kept the task instance in status {status} instead of moving it to {report.TargetStatus}: the outcome was not recorded");
                return ExitCodes.WorkerFailed;
            }

            _log.Info("outcome reported", ("status", status.ToString()));
            return outcome.ExitCode;
        }
        catch (ServerUnreachableException exception)
        {
            KeepInSpool(taskInstanceId, report, exception.Message);
            return ExitCodes.WorkerFailed;
        }
        catch (JobmonException exception)
        {
            _log.Error($"cannot report the outcome: {exception.Message}");
            return ExitCodes.WorkerFailed;
        }
    }

    /// <summary>Writes an undeliverable final report to the spool, for <c>worker-node spool flush</c> (or a later worker) to deliver; one line says where.</summary>
    private void KeepInSpool(long taskInstanceId, FinalReport report, string reason)
    {
        if (Spool() is not { } spool)
        {
            _log.Error($"cannot report the outcome: {reason}; nor keep it in a spool: neither worker_node.spool_dir nor HOME is set");
            return;
        }

        var spooled = SpooledReport.Create(FinalReportEnvelope.Create(taskInstanceId, report), Destination(), _options.ClusterName, report.Nodename, reason, _context.Time.GetUtcNow());
        try
        {
            var file = spool.Write(spooled);
            _log.Error($"cannot report the outcome: {reason}; it is kept in the spool as {file}: deliver it with 'worker-node spool flush'", ("spool_file", file));
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            _log.Error($"cannot report the outcome: {reason}; nor keep it in the spool {spool.Path}: {exception.Message}");
        }
    }

    private SpoolDirectory? Spool() =>
        SpoolDirectory.Locate(_settings.WorkerNode.SpoolDir, _context.Environment) is { } path ? new SpoolDirectory(path, _context.Time) : null;

    /// <summary>This worker's server, as its spool files record it and its background flush matches it.</summary>
    private ReportDestination Destination() =>
        new(_settings.Http.ServiceUrl?.OriginalString ?? string.Empty, _settings.Http.RoutePrefix, _options.ExpectedJobmonVersion);

    private static FinalReport Failure(OutcomeDecision.ReportContext context, string description) => new(
        TaskInstanceStatus.Error,
        description,
        context.Stdout,
        context.Stderr,
        string.Empty,
        string.Empty,
        context.Nodename,
        context.DistributorId,
        context.Usage);

    /// <summary>{dir}/{name}.o{distributor_id} as the Python worker names it; an empty directory means /dev/null.</summary>
    private static OutputTarget LogTarget(string directory, string name, char stream, string? distributorId) =>
        string.IsNullOrEmpty(directory)
            ? new OutputTarget.Discard()
            : new OutputTarget.File(Path.Combine(directory, $"{name}.{stream}{distributorId}"));

    private static Dictionary<string, string> JobmonVariables(TaskInstanceAssignment assignment) => new()
    {
        ["JOBMON_TASK_INSTANCE_ID"] = assignment.TaskInstanceId.ToString(CultureInfo.InvariantCulture),
        ["JOBMON_WORKFLOW_RUN_ID"] = assignment.WorkflowRunId.ToString(CultureInfo.InvariantCulture),
        ["JOBMON_TASK_ID"] = assignment.TaskId.ToString(CultureInfo.InvariantCulture),
        ["JOBMON_WORKFLOW_ID"] = assignment.WorkflowId.ToString(CultureInfo.InvariantCulture),
    };
}
