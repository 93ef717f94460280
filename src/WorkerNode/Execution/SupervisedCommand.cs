using System.ComponentModel;
using WorkerNode.Interop;
using WorkerNode.Logging;

namespace WorkerNode.Execution;

/// <summary>
/// A running command under the worker's full control: its own session and process group, a
/// parent-death signal, its output pumped to its sinks, every descendant tracked through the
/// worker's subreaper role, and one way to stop it (polite signal, grace, SIGKILL to all).
/// </summary>
public sealed class SupervisedCommand
{
    private static readonly TimeSpan ReapWait = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan OutputWait = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan PollWait = TimeSpan.FromMilliseconds(50);

    /// <summary>MAX_ARG_STRLEN: 32 pages of 4 KiB, the terminating NUL included.</summary>
    private const int MaxArgumentBytes = 32 * 4096;

    private readonly ChildReaper _reaper;
    private readonly TreeTerminator _terminator;
    private readonly OutputPump _stdout;
    private readonly OutputPump _stderr;
    private readonly OutputSink[] _sinks;
    private readonly TimeSpan _grace;
    private readonly WorkerLog _log;
    private readonly TimeProvider _time;
    private readonly CancellationTokenSource _skipGrace = new();
    private readonly OwnChildren? _ownChildren;

    // A stop is recorded and its terminator started together, and read back together, so that the
    // result never names a stop that did not act on the command or misses one that did.
    private readonly Lock _stopGate = new();
    private StopRequest? _stopRequest;
    private Task _stopping = Task.CompletedTask;

    private SupervisedCommand(ChildReaper reaper, OutputPump stdout, OutputPump stderr, OutputSink[] sinks, TimeSpan grace, WorkerLog log, TimeProvider time, DateTimeOffset startedAt, OwnChildren? ownChildren)
    {
        _ownChildren = ownChildren;
        _reaper = reaper;
        _stdout = stdout;
        _stderr = stderr;
        _sinks = sinks;
        _grace = grace;
        _log = log;
        _time = time;
        _terminator = new TreeTerminator(Environment.ProcessId, reaper, time, ownChildren);
        StartedAt = startedAt;
    }

    /// <summary>The command's pid, which is also its process group and session id.</summary>
    public int Pid => _reaper.CommandPid;

    public DateTimeOffset StartedAt { get; }

    /// <summary>Completes when the command itself (not necessarily its descendants) has ended.</summary>
    public Task<ExitStatus> Exited => _reaper.CommandExited;

    /// <summary>The first stop requested while the command ran, if any.</summary>
    public StopRequest? StopRequested
    {
        get
        {
            lock (_stopGate)
            {
                return _stopRequest;
            }
        }
    }

    /// <summary>Starts the command; throws <see cref="CommandStartException"/> with a one-line reason.</summary>
    /// <param name="spec">What to run.</param>
    /// <param name="grace">command_interrupt_timeout: time between the polite signal and SIGKILL.</param>
    /// <param name="ownChildren">The worker's own children beside the command (its scheduler queries): not the command's, never waited for as left behind.</param>
    public static SupervisedCommand Start(CommandSpec spec, TimeSpan grace, WorkerLog log, TimeProvider time, OwnChildren? ownChildren = null)
    {
        CheckArgumentLengths(spec);
        var sinks = new OutputSink[2];
        sinks[0] = OpenSink(spec.Stdout, "stdout");
        try
        {
            sinks[1] = OpenSink(spec.Stderr, "stderr");
        }
        catch
        {
            sinks[0].Dispose();
            throw;
        }

        if (!ProcessControl.TryBecomeSubreaper())
        {
            log.Warning("cannot become a child subreaper; daemons started by the command may escape clean-up", ("error", Errno.Describe(Errno.Last)));
        }

        int stdoutRead = -1, stdoutWrite = -1, stderrRead = -1, stderrWrite = -1;
        ChildReaper reaper;
        try
        {
            (stdoutRead, stdoutWrite) = FileDescriptors.CreatePipe();
            (stderrRead, stderrWrite) = FileDescriptors.CreatePipe();
            FileDescriptors.TryGrowPipe(stdoutRead, 1 << 20);
            FileDescriptors.TryGrowPipe(stderrRead, 1 << 20);
            var environment = CommandEnvironment.Build(spec.WorkerEnvironment, spec.ExtraEnvironment);
            reaper = ChildReaper.Start(() => Spawn(spec, environment, stdoutWrite, stderrWrite, log));
        }
        catch (Win32Exception exception)
        {
            // Out of descriptors (EMFILE), say, or the spawn itself failed: nothing may leak.
            FileDescriptors.Close(stdoutRead);
            FileDescriptors.Close(stderrRead);
            foreach (var sink in sinks)
            {
                sink.Dispose();
            }

            throw new CommandStartException($"cannot start {spec.ExecutablePath}: {exception.Message}", isLogFileProblem: false, exception);
        }
        finally
        {
            // Only the command may hold the write ends, or end of file would never come.
            FileDescriptors.Close(stdoutWrite);
            FileDescriptors.Close(stderrWrite);
        }

        var startedAt = time.GetUtcNow();
        var stdout = OutputPump.Start("stdout", stdoutRead, sinks[0], log);
        var stderr = OutputPump.Start("stderr", stderrRead, sinks[1], log);
        log.Debug("command started", ("pid", reaper.CommandPid));
        return new SupervisedCommand(reaper, stdout, stderr, sinks, grace, log, time, startedAt, ownChildren);
    }

    /// <summary>Passes a signal on to the command's process group.</summary>
    public void Forward(int signal)
    {
        if (!Exited.IsCompleted)
        {
            ProcessControl.TrySignalGroup(Pid, signal);
        }
    }

    /// <summary>
    /// Stops the command: the request's signal to its process group, the grace, then SIGKILL to
    /// the group and every descendant. Only the first request counts; a request that comes once the
    /// command has ended by itself is ignored, since it changes nothing about how it ended.
    /// </summary>
    public void RequestStop(StopRequest request)
    {
        lock (_stopGate)
        {
            if (_stopRequest is not null || Exited.IsCompleted)
            {
                return;
            }

            _stopRequest = request;
            _log.Info("stopping the command", ("reason", request.Reason.ToString()), ("signal", Signals.Name(request.Signal)), ("grace", _grace));
            _stopping = Task.Run(() => _terminator.TerminateAsync(Pid, request.Signal, politeToAll: false, _grace, _skipGrace.Token));
        }
    }

    /// <summary>Says, when it matters, that the grace will be cut to <paramref name="limit"/> to fit the scheduler's kill window.</summary>
    public void NoteGraceLimit(TimeSpan limit, string source)
    {
        if (limit < _grace)
        {
            _log.Info("the grace is cut to fit the scheduler's kill window", ("grace", limit), ("window_from", source));
        }
    }

    /// <summary>Cuts any grace period short: what is left gets SIGKILL now.</summary>
    public void SkipGrace()
    {
        if (!_skipGrace.IsCancellationRequested)
        {
            _log.Info("skipping the rest of the grace period");
            _skipGrace.Cancel();
        }
    }

    /// <summary>
    /// Waits for the command to end, then ends whatever it left behind (SIGTERM, grace, SIGKILL),
    /// reaps every zombie and collects the rest of its output. Bounded: an unkillable process
    /// delays the result by seconds, not forever.
    /// </summary>
    public async Task<CommandResult> WaitAsync(CancellationToken cancellationToken)
    {
        var status = await Exited.WaitAsync(cancellationToken).ConfigureAwait(false);
        var endedAt = _time.GetUtcNow();
        Task stopping;
        StopRequest? stoppedBy;
        lock (_stopGate)
        {
            (stopping, stoppedBy) = (_stopping, _stopRequest);
        }

        await stopping.ConfigureAwait(false);

        // As subreaper, the worker is the parent of every descendant whose own parent has gone;
        // so when the reaper has seen "no child left", nothing is left and /proc need not be read.
        // The worker's own scheduler queries are its children too, but not the command's: not counted.
        var leftovers = _reaper.AllReaped.IsCompleted ? [] : ProcessTable.Descendants(Environment.ProcessId, includeZombies: false, _ownChildren);
        if (leftovers.Count > 0)
        {
            _log.Info("ending processes the command left behind", ("count", leftovers.Count), ("grace", _grace));
            await _terminator.TerminateAsync(Pid, Signals.Term, politeToAll: true, _grace, _skipGrace.Token).ConfigureAwait(false);
        }

        await CommandTreeReapedAsync().ConfigureAwait(false);
        if (!await Task.WhenAll(_stdout.Finished, _stderr.Finished).CompletesWithinAsync(OutputWait, _time).ConfigureAwait(false))
        {
            _log.Warning("the command's output pipe is still held open by a process outside the worker's reach; its tail may be incomplete");
        }
        else
        {
            foreach (var sink in _sinks)
            {
                sink.Dispose();
            }
        }

        _log.Debug("command ended", ("status", status.ToString()));
        var lost = new[] { _stdout.Loss, _stderr.Loss }.OfType<OutputLoss>().ToArray();
        return new CommandResult(status, stoppedBy, StartedAt, endedAt, _stdout.Tail.ToString(), _stderr.Tail.ToString()) { OutputLost = lost };
    }

    /// <summary>
    /// Waits (at most <see cref="ReapWait"/>) until the reaper has reaped every zombie of the command's tree; the
    /// worker's own queries, which may run on a while yet within their own bound, are not waited for.
    /// </summary>
    private async Task CommandTreeReapedAsync()
    {
        var deadline = _time.GetUtcNow() + ReapWait;
        while (!_reaper.AllReaped.IsCompleted)
        {
            var reap = _reaper.NextReap;
            var left = _time.GetUtcNow() is var now && now < deadline ? deadline - now : TimeSpan.Zero;
            if (left == TimeSpan.Zero || (_ownChildren is not null && ProcessTable.Descendants(Environment.ProcessId, includeZombies: true, _ownChildren).Count == 0))
            {
                return;
            }

            await Task.WhenAny(reap, _reaper.AllReaped, Task.Delay(left < PollWait ? left : PollWait, _time)).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Linux refuses any single argument longer than MAX_ARG_STRLEN (32 pages, 128 KiB with its NUL):
    /// say so in one line before anything is opened, rather than let execve fail with E2BIG.
    /// </summary>
    private static void CheckArgumentLengths(CommandSpec spec)
    {
        foreach (var argument in spec.Arguments)
        {
            var bytes = System.Text.Encoding.UTF8.GetByteCount(argument);
            if (bytes >= MaxArgumentBytes)
            {
                var what = spec.Arguments.Count == 3 && spec.Arguments[1] == "-c" ? "the command string" : "an argument of the command";
                throw new CommandStartException(
                    $"cannot start the command: {what} is {bytes.ToString("N0", System.Globalization.CultureInfo.InvariantCulture)} bytes long, and Linux takes at most {(MaxArgumentBytes - 1).ToString("N0", System.Globalization.CultureInfo.InvariantCulture)} bytes (128 KiB) in one argument; put it in a script file and run that",
                    isLogFileProblem: false,
                    new Win32Exception(LibcConstants.E2Big));
            }
        }
    }

    private static OutputSink OpenSink(OutputTarget target, string stream)
    {
        try
        {
            return OutputSink.Open(target);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            var reason = exception is UnauthorizedAccessException ? "permission denied" : exception.Message;
            throw new CommandStartException($"cannot open the {stream} log {target.DisplayPath}: {reason}", isLogFileProblem: true, exception);
        }
    }

    private static int Spawn(CommandSpec spec, IReadOnlyList<string> environment, int stdoutWrite, int stderrWrite, WorkerLog log)
    {
        using var shim = ExecShim.TryLoad(out var failure);
        if (shim is not null)
        {
            try
            {
                var argv = shim.Wrap(Environment.ProcessId, Signals.Kill, spec.ExecutablePath, spec.Arguments);
                return PosixSpawn.Spawn(shim.ExecutablePath, argv, environment, spec.StdinFromDevNull, stdoutWrite, stderrWrite);
            }
            catch (Win32Exception exception) when (exception.NativeErrorCode != LibcConstants.E2Big)
            {
                // E.g. memfds mounted noexec by a hardened kernel: run without the shim.
                failure = exception.Message;
            }
        }

        log.Warning("running the command without a parent-death signal: it would survive a SIGKILL of the worker", ("reason", failure));
        return PosixSpawn.Spawn(spec.ExecutablePath, spec.Arguments, environment, spec.StdinFromDevNull, stdoutWrite, stderrWrite);
    }
}
