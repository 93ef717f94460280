using System.Diagnostics;
using System.Text;
using CliWrap;

namespace WorkerNode.IntegrationTests.Infrastructure;

/// <summary>
/// One run of the published worker-node binary, started with CliWrap. Every process it starts
/// inherits a unique marker variable, so disposal can assert that nothing is left behind (and kill
/// what is, to keep the machine clean for the next test). Every wait is bounded.
/// </summary>
public sealed class WorkerRun : IAsyncDisposable
{
    public const string MarkerVariable = "WORKER_NODE_TEST_MARKER";

    private static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(60);

    /// <summary>How long the output pipes may stay open once worker-node has exited.</summary>
    private static readonly TimeSpan OutputCloseTimeout = TimeSpan.FromSeconds(10);

    /// <summary>How long reading what the worker wrote may take after its exit when no process holds the pipes.</summary>
    private static readonly TimeSpan OutputDrainLimit = TimeSpan.FromSeconds(60);

    private readonly CommandTask<CommandResult> _execution;
    private readonly CancellationTokenSource _kill;
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    private WorkerRun(CommandTask<CommandResult> execution, CancellationTokenSource kill, string marker, string stateDirectory, StringBuilder stdout, StringBuilder stderr)
    {
        _execution = execution;
        _kill = kill;
        _stdout = stdout;
        _stderr = stderr;
        Marker = marker;
        StateDirectory = stateDirectory;
    }

    public int Pid => _execution.ProcessId;

    /// <summary>The marker value every descendant of this run carries in its environment.</summary>
    public string Marker { get; }

    /// <summary>
    /// XDG_STATE_HOME of this run (unless the test set its own): a fresh directory, removed on dispose,
    /// so that the default spool is never the machine's own and no run sees another's reports.
    /// </summary>
    public string StateDirectory { get; }

    /// <summary>Output captured so far.</summary>
    public string Stderr
    {
        get
        {
            lock (_stderr)
            {
                return _stderr.ToString();
            }
        }
    }

    /// <summary>
    /// True once the worker process has ended. CliWrap's task completes only when the process has
    /// exited and its output pipes have closed too; a process left behind holding the pipes would
    /// then look like a worker that never exits. The exit alone is seen in /proc (gone, or a zombie).
    /// </summary>
    private bool HasExited => _execution.Task.IsCompleted || ProcessScan.State(Pid) is null or 'Z' or 'X';

    /// <param name="arguments">worker-node's arguments (or <paramref name="program"/>'s).</param>
    /// <param name="environment">Variables to set (a null value removes one).</param>
    /// <param name="workingDirectory">Defaults to the temporary directory.</param>
    /// <param name="standardInput">Text written to stdin, which is then closed.</param>
    /// <param name="program">What to start instead of worker-node itself (e.g. unshare wrapping it).</param>
    public static WorkerRun Start(IEnumerable<string> arguments, IReadOnlyDictionary<string, string?>? environment = null, string? workingDirectory = null, string? standardInput = null, string? program = null)
    {
        var marker = Guid.NewGuid().ToString("N");
        var stateDirectory = Path.Combine(Path.GetTempPath(), $"wn-state-{marker}");
        var variables = new Dictionary<string, string?>(StringComparer.Ordinal);

        // A test decides every Jobmon setting itself; the host's own must not leak in.
        foreach (var name in Environment.GetEnvironmentVariables().Keys.Cast<string>()
                     .Where(key => key.StartsWith("JOBMON", StringComparison.Ordinal) || key.StartsWith("SLURM", StringComparison.Ordinal)))
        {
            variables[name] = null;
        }

        // The suite runs a real Slurm and Grid Engine beside these tests (Schedulers/); a test that
        // only pretends to be a Slurm or SGE job must not get answers (KillWait, h_rt) from them. An empty
        // slurm.conf makes scontrol fail at once (a missing one sends it looking for a configless
        // controller by DNS, which here takes its whole timeout and outlives a SIGKILLed worker).
        variables["SLURM_CONF"] = "/dev/null";
        variables["SGE_ROOT"] = "/nonexistent/gridengine";

        variables[MarkerVariable] = marker;
        variables["XDG_STATE_HOME"] = stateDirectory;
        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
        {
            variables[name] = value;
        }

        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        var kill = new CancellationTokenSource();
        var command = Cli.Wrap(program ?? WorkerBinary.Path)
            .WithArguments(arguments)
            .WithEnvironmentVariables(variables)
            .WithWorkingDirectory(workingDirectory ?? Path.GetTempPath())
            .WithStandardInputPipe(standardInput is null ? PipeSource.Null : PipeSource.FromString(standardInput))
            .WithStandardOutputPipe(PipeTarget.ToDelegate(line => Append(stdout, line)))
            .WithStandardErrorPipe(PipeTarget.ToDelegate(line => Append(stderr, line)))
            .WithValidation(CommandResultValidation.None);
        return new WorkerRun(command.ExecuteAsync(kill.Token), kill, marker, stateDirectory, stdout, stderr);
    }

    /// <summary>Runs to completion (killed and failed after the timeout).</summary>
    public static async Task<WorkerResult> RunAsync(IEnumerable<string> arguments, IReadOnlyDictionary<string, string?>? environment = null, TimeSpan? timeout = null, string? standardInput = null, string? program = null)
    {
        await using var run = Start(arguments, environment, standardInput: standardInput, program: program);
        return await run.WaitAsync(timeout).ConfigureAwait(false);
    }

    /// <summary>
    /// Sends any signal by pid: CliWrap's graceful cancellation sends only SIGINT, and the tests need
    /// SIGTERM, SIGHUP, SIGUSR1, SIGKILL at chosen moments.
    /// </summary>
    public void Signal(int signal) => UnixSignals.Send(Pid, signal);

    /// <summary>Waits until the worker's stdout (the command's, passed through) contains <paramref name="text"/>.</summary>
    public Task WaitForStdoutAsync(string text, TimeSpan? timeout = null) => WaitForAsync(_stdout, "stdout", text, timeout);

    /// <summary>Waits until the worker's stderr (its log, and the command's stderr) contains <paramref name="text"/>.</summary>
    public Task WaitForStderrAsync(string text, TimeSpan? timeout = null) => WaitForAsync(_stderr, "stderr", text, timeout);

    /// <summary>
    /// Waits for the worker to exit and its output to end; when either takes too long, kills it and everything it
    /// started, and throws.
    /// </summary>
    public async Task<WorkerResult> WaitAsync(TimeSpan? timeout = null)
    {
        var limit = timeout ?? DefaultTimeout;
        if (!await ExitsWithinAsync(limit).ConfigureAwait(false))
        {
            await KillEverythingAsync().ConfigureAwait(false);
            throw new TimeoutException($"worker-node did not exit within {limit.TotalSeconds} s\n{Snapshot(-1)}");
        }

        // The output readers finish once the pipes close; a process left behind that still holds them keeps them
        // open for as long as it lives. Without one, the readers are only still busy with what the worker wrote
        // (a loaded machine, a long output): they get more time, but not for ever.
        if (!await OutputEndsAsync().ConfigureAwait(false))
        {
            await KillEverythingAsync().ConfigureAwait(false);
            throw new TimeoutException(
                $"worker-node exited ({await ExitCodeAsync().ConfigureAwait(false)}), but its stdout or stderr was still open {OutputCloseTimeout.TotalSeconds} s later: "
                + $"a process it started holds them (now killed)\n{Snapshot(await ExitCodeAsync().ConfigureAwait(false))}");
        }

        return Snapshot(await ExitCodeAsync().ConfigureAwait(false));
    }

    /// <summary>Live processes of this run other than the worker itself.</summary>
    public List<int> Leftovers() => ProcessScan.WithEnvironment(MarkerVariable, Marker).Where(pid => pid != Pid).ToList();

    public async ValueTask DisposeAsync()
    {
        if (Directory.Exists(StateDirectory))
        {
            Directory.Delete(StateDirectory, recursive: true);
        }

        if (!HasExited)
        {
            await KillEverythingAsync().ConfigureAwait(false);
            _kill.Dispose();
            return;
        }

        // Allow a moment for processes that are being killed right now.
        var deadline = Stopwatch.StartNew();
        var leftovers = Leftovers();
        while (leftovers.Count > 0 && deadline.Elapsed < TimeSpan.FromSeconds(3))
        {
            await Task.Delay(50).ConfigureAwait(false);
            leftovers = Leftovers();
        }

        await KillEverythingAsync().ConfigureAwait(false);
        _kill.Dispose();
        Assert.True(leftovers.Count == 0, $"processes left behind by worker-node: {string.Join(", ", leftovers.Select(Describe))}");
    }

    private async Task<bool> OutputEndsAsync()
    {
        var waited = Stopwatch.StartNew();
        while (!await CompletesWithinAsync(_execution.Task, TimeSpan.FromSeconds(1)).ConfigureAwait(false))
        {
            if (waited.Elapsed >= OutputCloseTimeout && (Leftovers().Count > 0 || waited.Elapsed >= OutputDrainLimit))
            {
                return false;
            }
        }

        return true;
    }

    private async Task<bool> ExitsWithinAsync(TimeSpan limit)
    {
        var deadline = Stopwatch.StartNew();
        while (!HasExited)
        {
            if (deadline.Elapsed > limit)
            {
                return false;
            }

            await Task.Delay(20).ConfigureAwait(false);
        }

        return true;
    }

    /// <summary>The worker's exit status, once CliWrap has it (after the exit and the end of its output).</summary>
    private async Task<int> ExitCodeAsync()
    {
        try
        {
            return (await _execution.Task.WaitAsync(OutputCloseTimeout).ConfigureAwait(false)).ExitCode;
        }
        catch (Exception exception) when (exception is OperationCanceledException or TimeoutException)
        {
            return -1;
        }
    }

    /// <summary>
    /// Kills the worker (CliWrap's forceful cancellation) and every process carrying this run's marker:
    /// those that left the worker's tree (setsid daemons, the PID namespace under unshare) are found by
    /// their environment, which CliWrap cannot know of; they get SIGKILL by pid.
    /// </summary>
    private async Task KillEverythingAsync()
    {
        // Once the worker has exited, only what holds its pipes is left to kill: CliWrap then still
        // completes with the worker's own exit status.
        if (!HasExited)
        {
            await _kill.CancelAsync().ConfigureAwait(false);
        }

        foreach (var pid in ProcessScan.WithEnvironment(MarkerVariable, Marker))
        {
            try
            {
                UnixSignals.Send(pid, UnixSignals.Kill);
            }
            catch (InvalidOperationException)
            {
            }
        }

        try
        {
            await _execution.Task.WaitAsync(OutputCloseTimeout).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is OperationCanceledException or TimeoutException)
        {
            // Cancelled as asked; or something unkillable holds the pipes: the caller reports it.
        }
    }

    private async Task WaitForAsync(StringBuilder buffer, string stream, string text, TimeSpan? timeout)
    {
        var deadline = Stopwatch.StartNew();
        var drained = false;
        while (true)
        {
            lock (buffer)
            {
                if (buffer.ToString().Contains(text, StringComparison.Ordinal))
                {
                    return;
                }
            }

            if (HasExited && !drained)
            {
                // The last lines may still be in the pipe: let the readers finish, then look once more.
                await CompletesWithinAsync(_execution.Task, OutputCloseTimeout).ConfigureAwait(false);
                drained = true;
                continue;
            }

            if (HasExited || deadline.Elapsed > (timeout ?? TimeSpan.FromSeconds(20)))
            {
                throw new TimeoutException($"worker-node's {stream} never showed '{text}'\n{Snapshot(HasExited ? await ExitCodeAsync().ConfigureAwait(false) : -1)}");
            }

            await Task.Delay(20).ConfigureAwait(false);
        }
    }

    private WorkerResult Snapshot(int exitCode)
    {
        lock (_stdout)
        {
            lock (_stderr)
            {
                return new WorkerResult(exitCode, _stdout.ToString(), _stderr.ToString(), _clock.Elapsed);
            }
        }
    }

    private static async Task<bool> CompletesWithinAsync(Task task, TimeSpan timeout)
    {
        try
        {
            await task.WaitAsync(timeout).ConfigureAwait(false);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }

    private static void Append(StringBuilder buffer, string line)
    {
        lock (buffer)
        {
            buffer.Append(line).Append('\n');
        }
    }

    private static string Describe(int pid)
    {
        try
        {
            return $"{pid} ({File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ').Trim()})";
        }
        catch (IOException)
        {
            return pid.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
    }
}
