using System.Diagnostics;
using System.Text;

namespace WorkerNode.IntegrationTests.Infrastructure;

/// <summary>
/// One run of the published worker-node binary. Every process it starts inherits a unique marker
/// variable, so disposal can assert that nothing is left behind (and kill what is, to keep the
/// machine clean for the next test). Every wait is bounded.
/// </summary>
public sealed class WorkerRun : IAsyncDisposable
{
    public const string MarkerVariable = "WORKER_NODE_TEST_MARKER";

    private static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(60);

    /// <summary>How long the output pipes may stay open once worker-node has exited.</summary>
    private static readonly TimeSpan OutputCloseTimeout = TimeSpan.FromSeconds(10);

    private readonly Process _process;
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();
    private readonly TaskCompletionSource _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _stdoutClosed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _stderrClosed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    private WorkerRun(Process process, string marker, string stateDirectory)
    {
        _process = process;
        Marker = marker;
        StateDirectory = stateDirectory;
    }

    public int Pid => _process.Id;

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

    /// <param name="arguments">worker-node's arguments (or <paramref name="program"/>'s).</param>
    /// <param name="environment">Variables to set (a null value removes one).</param>
    /// <param name="workingDirectory">Defaults to the temporary directory.</param>
    /// <param name="standardInput">Text written to stdin, which is then closed.</param>
    /// <param name="program">What to start instead of worker-node itself (e.g. unshare wrapping it).</param>
    public static WorkerRun Start(IEnumerable<string> arguments, IReadOnlyDictionary<string, string?>? environment = null, string? workingDirectory = null, string? standardInput = null, string? program = null)
    {
        var marker = Guid.NewGuid().ToString("N");
        var start = new ProcessStartInfo(program ?? WorkerBinary.Path)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Path.GetTempPath(),
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // A test decides every Jobmon setting itself; the host's own must not leak in.
        foreach (var name in start.Environment.Keys.Where(key => key.StartsWith("JOBMON", StringComparison.Ordinal) || key.StartsWith("SLURM", StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(name);
        }

        start.Environment[MarkerVariable] = marker;
        var stateDirectory = Path.Combine(Path.GetTempPath(), $"wn-state-{marker}");
        start.Environment["XDG_STATE_HOME"] = stateDirectory;
        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
        {
            if (value is null)
            {
                start.Environment.Remove(name);
            }
            else
            {
                start.Environment[name] = value;
            }
        }

        // Exit and end of output are watched apart: Process.WaitForExit(Async) waits for both at once, and a
        // process left behind holding the pipes would then look like a worker that never exits (or block forever).
        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var run = new WorkerRun(process, marker, stateDirectory);
        process.Exited += (_, _) => run._exited.TrySetResult();
        process.OutputDataReceived += (_, line) => Append(run._stdout, line.Data, run._stdoutClosed);
        process.ErrorDataReceived += (_, line) => Append(run._stderr, line.Data, run._stderrClosed);
        process.Start();
        if (standardInput is not null)
        {
            process.StandardInput.Write(standardInput);
        }

        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return run;
    }

    /// <summary>Runs to completion (killed and failed after the timeout).</summary>
    public static async Task<WorkerResult> RunAsync(IEnumerable<string> arguments, IReadOnlyDictionary<string, string?>? environment = null, TimeSpan? timeout = null, string? standardInput = null, string? program = null)
    {
        await using var run = Start(arguments, environment, standardInput: standardInput, program: program);
        return await run.WaitAsync(timeout).ConfigureAwait(false);
    }

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
        if (!await CompletesWithinAsync(_exited.Task, limit).ConfigureAwait(false))
        {
            KillEverything();
            throw new TimeoutException($"worker-node did not exit within {limit.TotalSeconds} s\n{Snapshot(-1)}");
        }

        // The output readers finish once the pipes close; a process left behind that still holds them keeps them
        // open for as long as it lives.
        if (!await CompletesWithinAsync(Task.WhenAll(_stdoutClosed.Task, _stderrClosed.Task), OutputCloseTimeout).ConfigureAwait(false))
        {
            KillEverything();
            throw new TimeoutException(
                $"worker-node exited ({_process.ExitCode}), but its stdout or stderr was still open {OutputCloseTimeout.TotalSeconds} s later: "
                + $"a process it started holds them (now killed)\n{Snapshot(_process.ExitCode)}");
        }

        return Snapshot(_process.ExitCode);
    }

    /// <summary>Live processes of this run other than the worker itself.</summary>
    public List<int> Leftovers() => ProcessScan.WithEnvironment(MarkerVariable, Marker).Where(pid => pid != Pid).ToList();

    public async ValueTask DisposeAsync()
    {
        if (Directory.Exists(StateDirectory))
        {
            Directory.Delete(StateDirectory, recursive: true);
        }

        if (!_process.HasExited)
        {
            KillEverything();
            _process.Dispose();
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

        KillEverything();
        _process.Dispose();
        Assert.True(leftovers.Count == 0, $"processes left behind by worker-node: {string.Join(", ", leftovers.Select(Describe))}");
    }

    private void KillEverything()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
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
    }

    private async Task WaitForAsync(StringBuilder buffer, string stream, string text, TimeSpan? timeout)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            lock (buffer)
            {
                if (buffer.ToString().Contains(text, StringComparison.Ordinal))
                {
                    return;
                }
            }

            if (_process.HasExited || deadline.Elapsed > (timeout ?? TimeSpan.FromSeconds(20)))
            {
                throw new TimeoutException($"worker-node's {stream} never showed '{text}'\n{Snapshot(_process.HasExited ? _process.ExitCode : -1)}");
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

    private static void Append(StringBuilder buffer, string? line, TaskCompletionSource closed)
    {
        // A null line is the reader's last event: the pipe has closed.
        if (line is null)
        {
            closed.TrySetResult();
            return;
        }

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
