using System.Text.Json;
using WorkerNode.Cli;
using WorkerNode.Configuration;
using WorkerNode.Execution;
using WorkerNode.Logging;
using WorkerNode.Monitoring;
using WorkerNode.Reporting;
using WorkerNode.Reporting.Profiles;
using WorkerNode.Scheduler;

namespace WorkerNode.Lifecycle;

/// <summary>
/// Standalone mode: run a command with the worker's process control, limits and accounting, and no
/// server. Writes nothing of its own to stdout; the command's streams pass through unless sent to
/// files; the exit status is the command's.
/// </summary>
public sealed class StandaloneRun
{
    private readonly StandaloneOptions _options;
    private readonly WorkerSettings _settings;
    private readonly IReadOnlyDictionary<string, string> _environment;
    private readonly WorkerLog _log;
    private readonly TimeProvider _time;

    public StandaloneRun(StandaloneOptions options, WorkerSettings settings, IReadOnlyDictionary<string, string> environment, WorkerLog log, TimeProvider time)
    {
        _options = options;
        _settings = settings;
        _environment = environment;
        _log = log;
        _time = time;
    }

    /// <summary>
    /// Once run: the signal the command died of, or the stop signal from outside that ended it; the worker ends
    /// by it when its exit status is 128 + that signal (see <see cref="ServerRun.DeathSignal"/>).
    /// </summary>
    public int? DeathSignal { get; private set; }

    public async Task<int> ExecuteAsync(CancellationToken cancellationToken)
    {
        if (_options.ReportFile is { } reportFile && !CanWrite(reportFile))
        {
            return ExitCodes.Environment;
        }

        if (_options.MetricsFile is { } metricsFile && !CanWriteProfile(metricsFile))
        {
            return ExitCodes.Environment;
        }

        using var signals = new SignalRouter();
        var program = _options.Command[0];
        var executable = ExecutableResolver.Resolve(program, _environment.GetValueOrDefault("PATH"));
        if (executable is null)
        {
            _log.Error($"{program}: command not found");
            var now = _time.GetUtcNow();
            return Finish(new CommandResult(new ExitStatus(ExitCodes.CommandNotFound, null), null, now, now, string.Empty, $"worker-node: {program}: command not found\n"), null);
        }

        if (signals.StopSignal is { } early)
        {
            DeathSignal = early;
            return 128 + early;
        }

        var spec = new CommandSpec(
            executable,
            _options.Command,
            _environment,
            new Dictionary<string, string>(),
            StdinFromDevNull: false,
            Target(_options.StdoutFile, 1),
            Target(_options.StderrFile, 2));

        var limits = LimitsResolver.Resolve(_settings.WorkerNode, serverMode: false, DetectScheduler, _environment, _log, _time);
        // Only a run that asks for a profile keeps its samples: the others pay nothing for the feature.
        var profile = _options.MetricsFile is null ? null : new ProfileRecorder();
        using var monitor = CommandMonitor.Prepare(limits, _settings.WorkerNode, _log, _time, profile);
        SupervisedCommand command;
        try
        {
            command = SupervisedCommand.Start(spec, _settings.WorkerNode.CommandInterruptTimeout, _log, _time);
        }
        catch (CommandStartException exception)
        {
            _log.Error(exception.Message);
            return exception.IsLogFileProblem ? ExitCodes.Environment : ExitCodes.WorkerFailed;
        }

        monitor.Watch(command);
        signals.Attach(command);
        var result = await command.WaitAsync(cancellationToken).ConfigureAwait(false);
        DeathSignal = ServerRun.DeathSignal(result);
        var usage = monitor.Finish(result);
        var profileWritten = profile is null || _options.MetricsFile is not { } metrics || TryWriteProfile(metrics, profile, limits, result, usage);
        var status = Finish(result, usage);
        return profileWritten ? status : ExitCodes.Environment;
    }

    /// <summary>Which scheduler's allocation to derive limits from, asked only when limits_from_scheduler is on.</summary>
    private SchedulerKind DetectScheduler()
    {
        try
        {
            return SchedulerDetector.Detect(_environment, Environment.ProcessId).Kind;
        }
        catch (SchedulerEnvironmentException exception)
        {
            _log.Warning("cannot tell which scheduler started the worker; no limits are derived from it", ("error", exception.Message));
            return SchedulerKind.Local;
        }
    }

    private static OutputTarget Target(string? file, int descriptor) =>
        file is null ? new OutputTarget.Passthrough(descriptor) : new OutputTarget.File(file);

    private int Finish(CommandResult result, ResourceUsage? usage)
    {
        UsageFormat.LogCommandEnded(_log, result, usage);
        if (_options.ReportFile is { } reportFile && !TryWriteReport(reportFile, result, usage))
        {
            return ExitCodes.Environment;
        }

        if (result.Status.Succeeded && result.StoppedBy is null && result.OutputLost.Count > 0)
        {
            // The command did its part, but its output is not all where it was asked to go: not full success.
            _log.Error($"the command succeeded, but {string.Join("; ", result.OutputLost.Select(loss => loss.Description))}");
            return ExitCodes.Environment;
        }

        return result.StoppedBy switch
        {
            { Reason: StopReason.OutsideSignal } stop => 128 + stop.Signal,
            { Reason: StopReason.MemoryLimit or StopReason.TimeLimit } => OutcomeDecision.LimitStatus(result.Status),
            _ => result.Status.ShellStatus,
        };
    }

    private bool CanWrite(string reportFile) =>
        TryFile(() => AtomicFile.EnsureWritable(reportFile), $"the report file {reportFile}");

    private bool CanWriteProfile(string metricsFile) =>
        TryFile(() => ProfileFile.CheckWritable(metricsFile), $"the profile {metricsFile}");

    private bool TryWriteProfile(string metricsFile, ProfileRecorder profile, ResourceLimits limits, CommandResult result, ResourceUsage usage)
    {
        SchedulerFacts? facts = null;
        try
        {
            facts = SchedulerDetector.Detect(_environment, Environment.ProcessId);
        }
        catch (SchedulerEnvironmentException)
        {
            // Already said when the limits were resolved, if they came from the scheduler; the profile names none.
        }

        var kind = facts?.Kind ?? SchedulerKind.Local;
        var subject = new ProfileSubject("run", _options.TaskName ?? Path.GetFileName(_options.Command[0]), Environment.MachineName, ProfileHeaders.SchedulerName(kind))
        {
            Command = string.Join(' ', _options.Command),
            DistributorId = facts?.DistributorId,
            ArrayStepId = facts?.ArrayStepId,
        };
        var rows = profile.Rows();
        var header = ProfileHeaders.Create(subject, RequestedResourcesReader.Read(kind, _environment, _time), limits, _settings.WorkerNode, result, usage, profile, rows.Length);
        return TryFile(() => ProfileWriter.Write(metricsFile, header, rows), $"the profile {metricsFile}");
    }

    private bool TryWriteReport(string reportFile, CommandResult result, ResourceUsage? usage)
    {
        var report = RunReports.From(_options.Command, result, usage);
        return TryFile(() => AtomicFile.Write(reportFile, JsonSerializer.SerializeToUtf8Bytes(report, ReportJsonContext.Default.RunReport)), $"the report file {reportFile}");
    }

    /// <summary>Runs one file operation; a failure is one line, "cannot write {what}: {reason}", and false.</summary>
    private bool TryFile(Action write, string what)
    {
        try
        {
            write();
            return true;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            _log.Error($"cannot write {what}: {Reason(exception)}");
            return false;
        }
    }

    private static string Reason(Exception exception) =>
        exception is UnauthorizedAccessException ? "permission denied" : exception.Message;
}
