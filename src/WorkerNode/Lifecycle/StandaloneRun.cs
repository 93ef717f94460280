using System.Text.Json;
using WorkerNode.Cli;
using WorkerNode.Configuration;
using WorkerNode.Execution;
using WorkerNode.Logging;
using WorkerNode.Reporting;

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
    private readonly WorkerLog _log;
    private readonly TimeProvider _time;

    public StandaloneRun(StandaloneOptions options, WorkerSettings settings, WorkerLog log, TimeProvider time)
    {
        _options = options;
        _settings = settings;
        _log = log;
        _time = time;
    }

    public async Task<int> ExecuteAsync(CancellationToken cancellationToken)
    {
        if (_options.ReportFile is { } reportFile && !CanWrite(reportFile))
        {
            return ExitCodes.Environment;
        }

        using var signals = new SignalRouter();
        var program = _options.Command[0];
        var executable = ExecutableResolver.Resolve(program, Environment.GetEnvironmentVariable("PATH"));
        if (executable is null)
        {
            _log.Error($"{program}: command not found");
            var now = _time.GetUtcNow();
            return Finish(new CommandResult(new ExitStatus(ExitCodes.CommandNotFound, null), null, now, now, string.Empty, $"worker-node: {program}: command not found\n"));
        }

        if (signals.StopSignal is { } early)
        {
            return 128 + early;
        }

        var spec = new CommandSpec(
            executable,
            _options.Command,
            new Dictionary<string, string>(),
            StdinFromDevNull: false,
            Target(_options.StdoutFile, 1),
            Target(_options.StderrFile, 2));

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

        signals.Attach(command);
        var result = await command.WaitAsync(cancellationToken).ConfigureAwait(false);
        return Finish(result);
    }

    private static OutputTarget Target(string? file, int descriptor) =>
        file is null ? new OutputTarget.Passthrough(descriptor) : new OutputTarget.File(file);

    private int Finish(CommandResult result)
    {
        _log.Info(
            "command ended",
            ("status", result.Status.ToString()),
            ("wallclock", result.Wallclock),
            ("stopped_by", StopReasonNames.Of(result.StoppedBy?.Reason)));

        if (_options.ReportFile is { } reportFile && !TryWriteReport(reportFile, result))
        {
            return ExitCodes.Environment;
        }

        return result.StoppedBy is { Reason: StopReason.OutsideSignal } stop ? 128 + stop.Signal : result.Status.ShellStatus;
    }

    private bool CanWrite(string reportFile)
    {
        try
        {
            AtomicFile.EnsureWritable(reportFile);
            return true;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            _log.Error($"cannot write the report file {reportFile}: {Reason(exception)}");
            return false;
        }
    }

    private bool TryWriteReport(string reportFile, CommandResult result)
    {
        var report = new RunReport
        {
            Command = _options.Command,
            ExitCode = result.Status.Code,
            Signal = result.Status.SignalName,
            StartedAt = result.StartedAt,
            EndedAt = result.EndedAt,
            WallclockSeconds = Math.Round(result.Wallclock.TotalSeconds, 6),
            StdoutTail = result.StdoutTail,
            StderrTail = result.StderrTail,
            StoppedBy = StopReasonNames.Of(result.StoppedBy?.Reason),
        };
        try
        {
            AtomicFile.Write(reportFile, JsonSerializer.SerializeToUtf8Bytes(report, ReportJsonContext.Default.RunReport));
            return true;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            _log.Error($"cannot write the report file {reportFile}: {Reason(exception)}");
            return false;
        }
    }

    private static string Reason(Exception exception) =>
        exception is UnauthorizedAccessException ? "permission denied" : exception.Message;
}
