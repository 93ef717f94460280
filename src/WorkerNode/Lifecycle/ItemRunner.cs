using System.Text.Json;
using WorkerNode.Cli;
using WorkerNode.Configuration;
using WorkerNode.Execution;
using WorkerNode.Logging;
using WorkerNode.Monitoring;
using WorkerNode.Queue;
using WorkerNode.Reporting;
using WorkerNode.Reporting.Profiles;
using WorkerNode.Scheduler;

namespace WorkerNode.Lifecycle;

/// <summary>
/// Runs one taken item exactly as <c>run</c> runs a command (the same supervised command, limits, monitor and
/// report), holding its lease meanwhile, and finishes it: the result record to NAME:done or NAME:failed, or,
/// when a stop signal interrupted it, the item back on the queue.
/// </summary>
internal sealed class ItemRunner
{
    private readonly QueueOptions _options;
    private readonly WorkerSettings _settings;
    private readonly IReadOnlyDictionary<string, string> _environment;
    private readonly WorkerLog _log;
    private readonly TimeProvider _time;
    private readonly WorkQueue _queue;
    private readonly SignalRouter _signals;
    private readonly string _node;

    public ItemRunner(QueueOptions options, WorkerSettings settings, IReadOnlyDictionary<string, string> environment, WorkerLog log, TimeProvider time, WorkQueue queue, SignalRouter signals, string node)
    {
        _options = options;
        _settings = settings;
        _environment = environment;
        _log = log;
        _time = time;
        _queue = queue;
        _signals = signals;
        _node = node;
    }

    public TimeSpan LeaseTtl => _settings.Heartbeat.Interval * _settings.Heartbeat.ReportByBuffer;

    /// <param name="raw">The item as taken.</param>
    /// <param name="finishing">Cancelled when the worker must give up on Redis (some time after a stop signal).</param>
    public async Task<ItemOutcome> RunAsync(string raw, CancellationToken finishing)
    {
        if (!ItemParser.TryParse(raw, out var item, out var id, out var problem))
        {
            _log.Warning("malformed item: moved to the failed list", ("item", id), ("reason", problem));
            return await FinishAsync(raw, id, Record(id, "malformed", problem, raw) with { Attempt = null }, succeeded: false, token: "-", finishing).ConfigureAwait(false);
        }

        _log.Info("item taken", ("item", item!.Id));
        var (stdout, stderr) = Targets(item.Id);
        var spec = Spec(item, stdout, stderr, out var notFound);
        if (spec is null)
        {
            _log.Error($"{notFound}: command not found", ("item", item.Id));
            var now = _time.GetUtcNow();
            var missing = new CommandResult(new ExitStatus(ExitCodes.CommandNotFound, null), null, now, now, string.Empty, $"worker-node: {notFound}: command not found\n");
            return await FinishAsync(raw, item.Id, Record(item.Id, "failed", $"{notFound}: command not found", raw) with { Run = RunReports.From(item.DisplayCommand, missing, null) }, succeeded: false, "-", finishing).ConfigureAwait(false);
        }

        var settings = _settings.WorkerNode with
        {
            TimeLimit = item.TimeLimit ?? _settings.WorkerNode.TimeLimit,
            MemoryLimitBytes = item.MemoryLimitBytes ?? _settings.WorkerNode.MemoryLimitBytes,
        };
        var limits = LimitsResolver.Resolve(settings, serverMode: false, () => SchedulerKind.Local, _environment, _log, _time);
        // Only a worker given worker_node.metrics_dir keeps samples: the others pay nothing for profiles.
        var profile = settings.MetricsDir is null ? null : new ProfileRecorder();
        using var monitor = CommandMonitor.Prepare(limits, settings, _log, _time, profile);
        SupervisedCommand command;
        try
        {
            command = SupervisedCommand.Start(spec, settings.CommandInterruptTimeout, _log, _time);
        }
        catch (CommandStartException exception)
        {
            _log.Error(exception.Message, ("item", item.Id));
            return await FinishAsync(raw, item.Id, Record(item.Id, "failed", exception.Message, raw), succeeded: false, "-", finishing).ConfigureAwait(false);
        }

        monitor.Watch(command);
        _signals.Attach(command);
        var lease = new Lease { Id = item.Id, Node = _node, WorkerPid = Environment.ProcessId, Pid = command.Pid, StartedAt = command.StartedAt, Token = Guid.NewGuid().ToString("N") };
        var keeper = LeaseKeeper.Start(_queue, lease, LeaseTtl, _settings.Heartbeat.Interval, _log, _time);
        var result = await command.WaitAsync(CancellationToken.None).ConfigureAwait(false);
        var usage = monitor.Finish(result);
        UsageFormat.LogCommandEnded(_log, result, usage);
        var attempt = await keeper.StopAsync().ConfigureAwait(false);

        if (result.StoppedBy is { Reason: StopReason.OutsideSignal })
        {
            var requeued = await new RedisRetry(_log, _time, _options.Redis.Display).RunAsync("requeue", () => _queue.RequeueAsync(raw, item.Id, lease.Token), finishing).ConfigureAwait(false);
            _log.Info(requeued ? "the interrupted item is back on the queue" : "the interrupted item was no longer in processing (recovered meanwhile)", ("item", item.Id));
            return new ItemOutcome(StopRequested: false, Interrupted: true);
        }

        var succeeded = result.Status.Succeeded && result.StoppedBy is null;
        var record = Record(item.Id, succeeded ? "done" : "failed", succeeded ? null : result.StoppedBy?.Description ?? result.Status.ToString(), raw) with
        {
            Attempt = attempt,
            Pid = command.Pid,
            StdoutFile = (stdout as OutputTarget.File)?.Path,
            StderrFile = (stderr as OutputTarget.File)?.Path,
            Run = RunReports.From(item.DisplayCommand, result, usage),
        };
        var outcome = await FinishAsync(raw, item.Id, record, succeeded, lease.Token, finishing).ConfigureAwait(false);
        // After the result record, never before it: a profile on a slow shared filesystem must not delay it.
        if (profile is not null)
        {
            WriteProfile(item, attempt, command.Pid, profile, limits, settings, result, usage);
        }

        return outcome;
    }

    /// <summary>{metrics_dir}/{id}.m{attempt}.jsonl; a failure is only a warning.</summary>
    private void WriteProfile(QueueItem item, int? attempt, int pid, ProfileRecorder profile, ResourceLimits limits, WorkerNodeSettings settings, CommandResult result, ResourceUsage usage)
    {
        var directory = settings.MetricsDir!;
        try
        {
            var rows = profile.Rows();
            var subject = new ProfileSubject("queue", item.Id, _node, ProfileHeaders.SchedulerName(SchedulerKind.Local)) { Command = string.Join(' ', item.DisplayCommand) };
            var header = ProfileHeaders.Create(subject, RequestedResourcesReader.Read(SchedulerKind.Local, _environment, _time), limits, settings, result, usage, profile, rows.Length);
            var path = ProfileWriter.WriteInDirectory(directory, $"{item.Id}.m{attempt ?? 1}", header, rows);
            _log.Info("resource profile written", ("item", item.Id), ("profile", path), ("rows", rows.Length), ("pid", pid));
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            _log.Warning("cannot write the resource profile", ("item", item.Id), ("metrics_dir", directory), ("error", exception.Message));
        }
    }

    private async Task<ItemOutcome> FinishAsync(string raw, string id, ItemResult record, bool succeeded, string token, CancellationToken finishing)
    {
        var json = JsonSerializer.Serialize(record, QueueJsonContext.Readable.ItemResult);
        var outcome = await new RedisRetry(_log, _time, _options.Redis.Display).RunAsync("finish", () => _queue.FinishAsync(raw, id, json, succeeded, token), finishing).ConfigureAwait(false);
        if (outcome.Written)
        {
            _log.Info("item finished", ("item", id), ("status", record.Status), ("list", succeeded ? _queue.Keys.Done : _queue.Keys.Failed));
        }
        else
        {
            _log.Warning("the item was finished already (by another worker after this one's lease expired, or by this one before a lost reply); this result is dropped", ("item", id));
        }

        return new ItemOutcome(outcome.StopRequested, Interrupted: false);
    }

    private ItemResult Record(string id, string status, string? reason, string raw) => new()
    {
        Id = id,
        Status = status,
        Reason = reason,
        Attempt = null,
        Queue = _queue.Keys.Name,
        Node = _node,
        WorkerPid = Environment.ProcessId,
        Item = raw,
    };

    private (OutputTarget Stdout, OutputTarget Stderr) Targets(string id) => _options.OutputDirectory is { } directory
        ? (new OutputTarget.File(Path.Combine(directory, id + ".out")), new OutputTarget.File(Path.Combine(directory, id + ".err")))
        : (new OutputTarget.Passthrough(1), new OutputTarget.Passthrough(2));

    /// <summary>
    /// The command to spawn. A working directory is entered by /bin/sh (<c>cd -- DIR &amp;&amp; exec …</c>): the spawn
    /// path (posix_spawn through the exec shim) has no chdir of its own, and a failing cd then reads like a
    /// shell's, on the item's stderr, with exit status 2.
    /// </summary>
    private CommandSpec? Spec(QueueItem item, OutputTarget stdout, OutputTarget stderr, out string? notFound)
    {
        notFound = null;
        var extra = new Dictionary<string, string>(item.Environment, StringComparer.Ordinal)
        {
            ["WORKER_NODE_QUEUE"] = _queue.Keys.Name,
            ["WORKER_NODE_ITEM_ID"] = item.Id,
        };
        if (item.Shell is { } line)
        {
            return item.WorkingDirectory is { } cwd
                ? new CommandSpec("/bin/sh", ["/bin/sh", "-c", "cd -- \"$1\" && exec /bin/sh -c \"$2\"", "sh", cwd, line], _environment, extra, StdinFromDevNull: true, stdout, stderr)
                : CommandSpec.Shell(line, _environment, extra, stdout, stderr);
        }

        var argv = item.Argv!;
        if (item.WorkingDirectory is { } directory)
        {
            return new CommandSpec("/bin/sh", ["/bin/sh", "-c", "cd -- \"$1\" && shift && exec \"$@\"", "sh", directory, .. argv], _environment, extra, StdinFromDevNull: true, stdout, stderr);
        }

        var path = extra.GetValueOrDefault("PATH") ?? _environment.GetValueOrDefault("PATH");
        if (ExecutableResolver.Resolve(argv[0], path) is not { } executable)
        {
            notFound = argv[0];
            return null;
        }

        return new CommandSpec(executable, argv, _environment, extra, StdinFromDevNull: true, stdout, stderr);
    }
}
