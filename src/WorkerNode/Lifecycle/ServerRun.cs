using System.Globalization;
using WorkerNode.Cli;
using WorkerNode.Configuration;
using WorkerNode.Execution;
using WorkerNode.Jobmon;
using WorkerNode.Jobmon.Transport;
using WorkerNode.Logging;
using WorkerNode.Monitoring;
using WorkerNode.Reporting;
using WorkerNode.Reporting.Profiles;
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

    /// <summary>
    /// The longest random wait before a worker's background flush: enough to spread an array started in
    /// one second, short enough that a task of a second or two still gets its flush going before it exits.
    /// </summary>
    private static readonly TimeSpan SpoolFlushJitter = TimeSpan.FromMilliseconds(500);

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

        // Normally already being built since the command line was read (see WorkerCli). A return
        // before it is used leaves it to end with the process: nothing has been sent through it.
        var transport = _context.Transport ?? JobmonTransport.StartBuilding(_context.Time);

        SchedulerFacts facts;
        try
        {
            facts = SchedulerDetector.Detect(_context.Environment, Environment.ProcessId);
        }
        catch (SchedulerEnvironmentException exception)
        {
            _log.Error(exception.Message);
            return ExitCodes.Environment;
        }

        _log.Context.DistributorId = facts.DistributorId;
        if (_options.Task is ServerTask.ArrayTask && facts.ArrayStepId is null)
        {
            _log.Error("worker_node_array needs the scheduler's array index, but none of SLURM_ARRAY_TASK_ID, SGE_TASK_ID, ARRAY_STEP_ID, PBS_ARRAY_INDEX, PBS_ARRAYID or LSB_JOBINDEX (above 0) is set");
            return ExitCodes.Environment;
        }

        // The spool is where the final report goes if the server fails it: find out now, not when it is needed.
        try
        {
            Spool()?.CheckUsable();
        }
        catch (IOException exception)
        {
            _log.Error($"unusable spool directory (worker_node.spool_dir): {exception.Message}");
            return ExitCodes.Environment;
        }

        var nodenameLookup = new FqdnResolver(_context.Time).ResolveAsync(cancellationToken);
        using var signals = new SignalRouter(_context.Time, gridEngineNotify: facts.Kind == SchedulerKind.Uge && !_settings.WorkerNode.ForwardNotifySignals);
        var limits = LimitsResolver.Resolve(_settings.WorkerNode, serverMode: true, () => facts.Kind, _context.Environment, _log, _context.Time);
        // Only a task with a usable metrics_dir keeps its samples: the others pay nothing for profiles.
        var profile = MetricsDirectoryUsable() ? new ProfileRecorder() : null;
        using var monitor = CommandMonitor.Prepare(limits, _settings.WorkerNode, _log, _context.Time, profile);

        // What the environment does not say (Slurm < 23.02's end time, Grid Engine's h_rt, the kill
        // windows) is asked of the scheduler beside the start-up, and applied when it answers.
        using var endQueries = new CancellationTokenSource();
        using var cancelQueries = new ExitAction(endQueries.Cancel);
        // The queries' processes are the worker's children, not the command's: its end does not wait for them.
        var queries = new OwnChildren();
        _ = SchedulerAnswers.StartAsync(facts.Kind, _context.Environment, _settings.WorkerNode, serverMode: true, limits, monitor, signals, _log, _context.Time, queries, endQueries.Token);

        // A stop signal before the command exists leaves these calls as long as a final report
        // would get: the scheduler that sent it will not wait for a server that answers slowly. Not
        // less: a log_running the server has applied should be followed by a report.
        using var beforeCommand = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var onStop = signals.Stopped.Register(() => beforeCommand.CancelAfter(FinalReportDelivery.StoppedFromOutsideBudget));
        int StoppedBeforeTheServerAnswered(int signal)
        {
            _log.Error($"{SignalRouter.OutsideStop(signal).Description}, before the server answered: the command is not run and nothing is reported");
            return 128 + signal;
        }

        string nodename;
        try
        {
            nodename = await nodenameLookup.WaitAsync(beforeCommand.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (signals.StopSignal is { } signal && !cancellationToken.IsCancellationRequested)
        {
            return StoppedBeforeTheServerAnswered(signal);
        }

        _log.Context.Nodename = nodename;
        var runningBody = JobmonClient.PrepareLogRunning(new RunningReport(nodename, Environment.ProcessId, _settings.Heartbeat.NextReportIncrementSeconds, facts.DistributorId));

        JobmonClient client;
        try
        {
            client = JobmonClientFactory.Create(_settings.Http, _settings.Heartbeat, _options.ExpectedJobmonVersion, _options.ClusterName, _log, _context.Time, await transport.ConfigureAwait(false));
        }
        catch (JobmonConfigurationException exception)
        {
            _log.Error(exception.Message);
            return ExitCodes.Environment;
        }

        using var disposeClient = client;
        await using var spoolFlush = BackgroundSpoolFlush.Start(Spool(), client, Destination(), _log, _context.Time, SpoolFlushJitter);

        long taskInstanceId;
        TaskInstanceAssignment assignment;
        try
        {
            taskInstanceId = await ResolveTaskInstanceAsync(client, facts, beforeCommand.Token).ConfigureAwait(false);
            _log.Context.TaskInstanceId = taskInstanceId;
            assignment = await client.LogRunningAsync(taskInstanceId, runningBody, beforeCommand.Token).ConfigureAwait(false);
        }
        catch (JobmonException exception)
        {
            _log.Error(exception.Message);
            return ExitCodes.WorkerFailed;
        }
        catch (OperationCanceledException) when (signals.StopSignal is { } signal && !cancellationToken.IsCancellationRequested)
        {
            return StoppedBeforeTheServerAnswered(signal);
        }

        var loggedRunningAt = _context.Time.GetUtcNow();
        if (assignment.Status != TaskInstanceStatus.Running)
        {
            _log.Error($"the server answered log_running with status {assignment.Status}, not R: the command is not run");
            return ExitCodes.WorkerFailed;
        }

        var stdout = LogTarget(assignment.StdoutDir, assignment.Name, 'o', facts.DistributorId);
        var stderr = LogTarget(assignment.StderrDir, assignment.Name, 'e', facts.DistributorId);
        var reportContext = new OutcomeDecision.ReportContext(stdout.DisplayPath, stderr.DisplayPath, nodename, facts.DistributorId, null, Command: assignment.Command);
        _log.Info("running the task instance", ("name", assignment.Name), ("stdout", stdout.DisplayPath), ("stderr", stderr.DisplayPath));
        _log.Debug("command from the server", ("command", assignment.Command));

        // From the stop signal on, the outcome is in the spool (a scheduler's SIGKILL may follow at any moment).
        using var stopSpool = new StopSpool(Spool(), (report, reason) => ToSpooled(taskInstanceId, assignment.TaskId, report, reason), _log, signals.Stopped);
        var delivery = new FinalReportDelivery(client, taskInstanceId, Spool(), (report, reason) => ToSpooled(taskInstanceId, assignment.TaskId, report, reason), _log, signals.WindowLeft, stopSpool);
        if (signals.StopSignal is { } early)
        {
            var stopped = SignalRouter.OutsideStop(early);
            var description = $"{stopped.Description}, before the command started";
            return await delivery.DeliverAsync(new ServerOutcome(Failure(reportContext, description), 128 + early, description), stoppedFromOutside: true, cancellationToken).ConfigureAwait(false);
        }

        var spec = CommandSpec.Shell(assignment.Command, _context.Environment, JobmonVariables(assignment), stdout, stderr);
        SupervisedCommand command;
        try
        {
            command = SupervisedCommand.Start(spec, _settings.WorkerNode.CommandInterruptTimeout, _log, _context.Time, queries);
        }
        catch (CommandStartException exception)
        {
            _log.Error(exception.Message);
            var exitCode = exception.IsLogFileProblem ? ExitCodes.Environment : ExitCodes.WorkerFailed;
            var outcome = new ServerOutcome(Failure(reportContext, exception.Message), exitCode, exception.Message) { SummaryLogged = true };
            var delivered = await delivery.DeliverAsync(outcome, stoppedFromOutside: false, cancellationToken).ConfigureAwait(false);
            return delivered == ExitCodes.WorkerFailed ? delivered : exitCode;
        }

        monitor.Watch(command);
        signals.Attach(command);
        stopSpool.WhileRunning(() => KilledWhileStopping(command, signals, reportContext with { Usage = UsageFormat.ToFields(monitor.Current()) }));
        using var heartbeatsDone = new CancellationTokenSource();

        // A heartbeat in flight when the command ends is waited for (it has a request_timeout), unless
        // the worker itself is being stopped from outside: then the final report cannot wait.
        using var abandonHeartbeat = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, signals.Stopped);
        var heartbeats = new HeartbeatLoop(
            client,
            taskInstanceId,
            () => new HeartbeatReport(_settings.Heartbeat.NextReportIncrementSeconds, stdout.DisplayPath, stderr.DisplayPath, facts.DistributorId, UsageFormat.ToFields(monitor.Current())),
            _settings,
            _log,
            _context.Time).RunAsync(command, loggedRunningAt, heartbeatsDone.Token, abandonHeartbeat.Token);

        var result = await command.WaitAsync(cancellationToken).ConfigureAwait(false);
        await heartbeatsDone.CancelAsync().ConfigureAwait(false);
        await heartbeats.ConfigureAwait(false);
        var usage = monitor.Finish(result);
        UsageFormat.LogCommandEnded(_log, result, usage);
        var measured = reportContext with { Usage = UsageFormat.ToFields(usage), KernelOomKill = UsageFormat.KernelOomKill(usage) };
        var workerExit = await delivery.DeliverAsync(OutcomeDecision.Decide(result, measured), stoppedFromOutside: signals.StopSignal is not null, cancellationToken).ConfigureAwait(false);
        // After the report, never before it: a scheduler's kill window after a stop is for the outcome, and a
        // profile on a slow shared filesystem must not delay it.
        if (profile is not null)
        {
            var subject = new ProfileSubject("server", assignment.Name, nodename, ProfileHeaders.SchedulerName(facts.Kind))
            {
                Command = assignment.Command,
                TaskInstanceId = taskInstanceId,
                TaskId = assignment.TaskId,
                WorkflowId = assignment.WorkflowId,
                WorkflowRunId = assignment.WorkflowRunId,
                DistributorId = facts.DistributorId,
                ArrayStepId = facts.ArrayStepId,
            };
            WriteProfile(subject, facts.Kind, profile, limits, result, usage);
        }

        return _context.EndBySignal.Request(DeathSignal(result), workerExit);
    }

    /// <summary>Whether worker_node.metrics_dir is set and can be written (created owner-only when missing); warns once when not.</summary>
    private bool MetricsDirectoryUsable()
    {
        if (_settings.WorkerNode.MetricsDir is not { } directory)
        {
            return false;
        }

        try
        {
            FileSafety.EnsureDirectory(directory);
            return true;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            _log.Warning("no resource profile is kept: worker_node.metrics_dir cannot be used", ("metrics_dir", directory), ("error", exception.Message));
            return false;
        }
    }

    /// <summary>{metrics_dir}/{name}.m{distributor_id}.jsonl, beside the log files' names; a failure is only a warning.</summary>
    private void WriteProfile(ProfileSubject subject, SchedulerKind kind, ProfileRecorder profile, ResourceLimits limits, CommandResult result, ResourceUsage usage)
    {
        var directory = _settings.WorkerNode.MetricsDir!;
        try
        {
            var rows = profile.Rows();
            var requested = RequestedResourcesReader.Read(kind, _context.Environment, _context.Time);
            var header = ProfileHeaders.Create(subject, requested, limits, _settings.WorkerNode, result, usage, profile, rows.Length);
            var path = ProfileWriter.WriteInDirectory(directory, $"{subject.Task}.m{subject.DistributorId}", header, rows);
            _log.Info("resource profile written", ("profile", path), ("rows", rows.Length));
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            _log.Warning("cannot write the resource profile", ("metrics_dir", directory), ("error", exception.Message));
        }
    }

    /// <summary>
    /// What the server should record should the worker be killed after a stop signal, before the command has
    /// ended: the stop (a limit the worker enforces is still Z), and that the worker did not live to see the end.
    /// </summary>
    private static FinalReport KilledWhileStopping(SupervisedCommand command, SignalRouter signals, OutcomeDecision.ReportContext context)
    {
        var stop = command.StopRequested ?? SignalRouter.OutsideStop(signals.StopSignal ?? Interop.Signals.Term);
        var status = stop.Reason is StopReason.TimeLimit or StopReason.MemoryLimit ? TaskInstanceStatus.ResourceError : TaskInstanceStatus.Error;
        var description = $"{char.ToUpperInvariant(stop.Description[0])}{stop.Description[1..]}; the worker was killed before the command had ended";
        return Failure(context, description) with { ErrorState = status };
    }

    /// <summary>The signal the worker ends by when its exit status says 128 + N: the command's own, or the one that stopped it from outside.</summary>
    internal static int? DeathSignal(CommandResult result) =>
        result.StoppedBy is { Reason: StopReason.OutsideSignal } stop ? stop.Signal : result.Status.Signal;

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

    // The task id lets a later flush find the instance on the server (its details route is per task) and check it still awaits the report.
    private SpooledReport ToSpooled(long taskInstanceId, long taskId, FinalReport report, string reason) =>
        SpooledReport.Create(FinalReportEnvelope.Create(taskInstanceId, report), Destination(), _options.ClusterName, report.Nodename, reason, _context.Time.GetUtcNow(), taskId);

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

    /// <summary>{dir}/{name}.o{distributor_id} as the Python worker names it, never outside dir (<see cref="TaskLogName"/>); an empty directory means /dev/null.</summary>
    private static OutputTarget LogTarget(string directory, string name, char stream, string? distributorId) =>
        string.IsNullOrEmpty(directory)
            ? new OutputTarget.Discard()
            : new OutputTarget.File(Path.Join(directory, TaskLogName.Of(name, stream, distributorId)));

    private static Dictionary<string, string> JobmonVariables(TaskInstanceAssignment assignment) => new()
    {
        ["JOBMON_TASK_INSTANCE_ID"] = assignment.TaskInstanceId.ToString(CultureInfo.InvariantCulture),
        ["JOBMON_WORKFLOW_RUN_ID"] = assignment.WorkflowRunId.ToString(CultureInfo.InvariantCulture),
        ["JOBMON_TASK_ID"] = assignment.TaskId.ToString(CultureInfo.InvariantCulture),
        ["JOBMON_WORKFLOW_ID"] = assignment.WorkflowId.ToString(CultureInfo.InvariantCulture),
    };
}
