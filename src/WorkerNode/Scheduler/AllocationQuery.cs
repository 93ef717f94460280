using System.Globalization;
using WorkerNode.Configuration;
using WorkerNode.Execution;
using WorkerNode.Interop;
using static WorkerNode.Scheduler.EnvironmentValues;

namespace WorkerNode.Scheduler;

/// <summary>
/// Asks the scheduler what its environment does not say: Slurm before 23.02 exports no
/// SLURM_JOB_END_TIME, and Grid Engine exports neither h_rt nor the notify time. One bounded query per
/// fact, run beside the command's start-up, never before it:
/// <list type="bullet">
/// <item>Slurm: `scontrol show job $SLURM_JOB_ID` (with SLURM_TIME_FORMAT=%s) for the end time, when
/// SLURM_JOB_END_TIME is absent; `scontrol show config` for KillWait, the time from SIGTERM to SIGKILL.</item>
/// <item>Grid Engine: `qstat -j $JOB_ID` for h_rt / s_rt (counted from the worker's start: the job's own
/// start is not in it) and whether -notify was asked; `qconf -sq $QUEUE` for the notify time, the window
/// between SIGUSR2/SIGUSR1 and SIGKILL/SIGSTOP.</item>
/// <item>LSF: `bjobs -o "jobid runtimelimit run_time" -hms -json $LSB_JOBID[$LSB_JOBINDEX]` for the run limit
/// (bsub -W, the queue's RUNLIMIT) and how long the job has run; `bparams -a` for JOB_TERMINATE_INTERVAL (at the
/// run limit LSF sends SIGINT, SIGTERM one interval later, SIGKILL one more later: 10 s each by default). Written
/// from LSF 10.1's documentation; not tried against a real LSF.</item>
/// </list>
/// </summary>
public static class AllocationQuery
{
    /// <summary>How long one query may take: a scheduler that is slow to answer costs nothing but this.</summary>
    public static readonly TimeSpan QueryTimeout = TimeSpan.FromSeconds(5);

    /// <param name="kind">The scheduler that started the worker.</param>
    /// <param name="environment">The worker's environment (the job's ids, PATH, SGE_ROOT...).</param>
    /// <param name="needEnd">False when the end time is already known from the environment.</param>
    /// <param name="time">The clock: Grid Engine's limits count from now.</param>
    /// <param name="children">Where each query's process is recorded as the worker's own child, not the command's.</param>
    /// <param name="cancellationToken">Cancels the queries (the worker is ending).</param>
    public static Task<QueriedAllocation> RunAsync(SchedulerKind kind, IReadOnlyDictionary<string, string> environment, bool needEnd, TimeProvider time, OwnChildren children, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(children);
        var query = new Client(environment, children);
        return kind switch
        {
            SchedulerKind.Slurm => SlurmAsync(environment, query, needEnd, cancellationToken),
            SchedulerKind.Uge => GridEngineAsync(environment, query, time, cancellationToken),
            SchedulerKind.Lsf => LsfAsync(environment, query, needEnd, time, cancellationToken),
            _ => Task.FromResult(QueriedAllocation.Nothing(null)),
        };
    }

    private static async Task<QueriedAllocation> SlurmAsync(IReadOnlyDictionary<string, string> environment, Client query, bool needEnd, CancellationToken cancellationToken)
    {
        var config = query.RunAsync("scontrol", ["show", "config"], cancellationToken);
        DateTimeOffset? end = null;
        TimeSpan? granted = null;
        string? endSource = null;
        if (needEnd && Get(environment, "SLURM_JOB_ID") is { } jobId && ParseCount(jobId) is not null)
        {
            var job = await query.RunAsync("scontrol", ["show", "job", jobId], cancellationToken).ConfigureAwait(false);
            if (job is null)
            {
                endSource = $"`scontrol show job {jobId}` gave no answer within {QueryTimeout.TotalSeconds:0} s";
            }
            else
            {
                var (start, jobEnd, timeLimit) = SchedulerOutputParser.SlurmJob(job);
                if (timeLimit is "UNLIMITED" or "Partition_Limit" || jobEnd is null)
                {
                    endSource = $"`scontrol show job {jobId}` shows no time limit (TimeLimit={timeLimit ?? "?"})";
                }
                else
                {
                    end = jobEnd;
                    // TimeLimit is the limit as granted; EndTime - StartTime says the same unless the job was
                    // suspended (Slurm moves EndTime on by the suspension).
                    granted = SchedulerOutputParser.SlurmDuration(timeLimit) ?? (start is { } started && jobEnd > started ? jobEnd - started : null);
                    endSource = $"`scontrol show job {jobId}`: TimeLimit={timeLimit}, EndTime={jobEnd.Value.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture)}";
                }
            }
        }

        var killWait = await config.ConfigureAwait(false) is { } text ? SchedulerOutputParser.SlurmKillWait(text) : null;
        return new QueriedAllocation(end, granted, endSource, killWait, killWait is null ? null : $"Slurm's KillWait ({DisplayFormat.Duration(killWait.Value)}, `scontrol show config`)");
    }

    private static async Task<QueriedAllocation> GridEngineAsync(IReadOnlyDictionary<string, string> environment, Client query, TimeProvider time, CancellationToken cancellationToken)
    {
        if (Get(environment, "JOB_ID") is not { } jobId || ParseCount(jobId) is null)
        {
            return QueriedAllocation.Nothing(null);
        }

        var asked = time.GetUtcNow();
        var queue = Get(environment, "QUEUE") is { } name ? query.RunAsync("qconf", ["-sq", name], cancellationToken) : Task.FromResult<string?>(null);
        var job = await query.RunAsync("qstat", ["-j", jobId], cancellationToken).ConfigureAwait(false);
        var notifyTime = await queue.ConfigureAwait(false) is { } queueText ? SchedulerOutputParser.GridEngineNotify(queueText) : null;
        if (job is null)
        {
            return QueriedAllocation.Nothing($"`qstat -j {jobId}` gave no answer within {QueryTimeout.TotalSeconds:0} s");
        }

        var (limit, limitName, notify) = SchedulerOutputParser.GridEngineJob(job);
        // Without -notify the kill comes with no warning: there is no window.
        TimeSpan? window = notify ? notifyTime : null;
        var windowSource = window is { } w ? $"Grid Engine's notify time ({DisplayFormat.Duration(w)}, `qconf -sq {Get(environment, "QUEUE")}`)" : null;
        if (limit is not { } granted)
        {
            return new QueriedAllocation(null, null, $"`qstat -j {jobId}` shows neither h_rt nor s_rt", window, windowSource);
        }

        return new QueriedAllocation(
            ClockArithmetic.Add(asked, granted),
            granted,
            $"`qstat -j {jobId}`: {limitName} ({DisplayFormat.Duration(granted)}) counted from the worker's start",
            window,
            windowSource);
    }

    private static async Task<QueriedAllocation> LsfAsync(IReadOnlyDictionary<string, string> environment, Client query, bool needEnd, TimeProvider time, CancellationToken cancellationToken)
    {
        if (Get(environment, "LSB_JOBID") is not { } jobId || ParseCount(jobId) is null)
        {
            return QueriedAllocation.Nothing(null);
        }

        // An array element is JOBID[INDEX] to bjobs; LSB_JOBINDEX is 0 outside arrays.
        var element = Get(environment, "LSB_JOBINDEX") is { } index && ParseCount(index) is > 0 ? $"{jobId}[{index}]" : jobId;
        var parameters = query.RunAsync("bparams", ["-a"], cancellationToken);
        DateTimeOffset? end = null;
        TimeSpan? granted = null;
        string? endSource = null;
        if (needEnd)
        {
            var asked = time.GetUtcNow();
            var job = await query.RunAsync("bjobs", ["-o", "jobid runtimelimit run_time", "-hms", "-json", element], cancellationToken).ConfigureAwait(false);
            var (limit, runTime, limitText) = job is null ? default : SchedulerOutputParser.LsfJob(job);
            if (job is null)
            {
                endSource = $"`bjobs -o runtimelimit {element}` gave no answer within {QueryTimeout.TotalSeconds:0} s";
            }
            else if (limit is not { } runLimit)
            {
                endSource = $"`bjobs -o runtimelimit {element}` shows no run limit (RUNTIMELIMIT='{limitText ?? string.Empty}')";
            }
            else
            {
                // Counted from the job's start: what it has run already is gone from the limit.
                var ran = runTime ?? TimeSpan.Zero;
                granted = runLimit;
                end = ClockArithmetic.Add(asked, ran < runLimit ? runLimit - ran : TimeSpan.Zero);
                endSource = $"`bjobs -o runtimelimit {element}`: RUNTIMELIMIT={DisplayFormat.Duration(runLimit)}, run {DisplayFormat.Duration(ran)} so far";
            }
        }

        // TERMINATE: SIGINT, then SIGTERM and SIGKILL one interval apart each: from the first signal to the kill, two.
        var interval = await parameters.ConfigureAwait(false) is { } text ? SchedulerOutputParser.LsfTerminateInterval(text) : null;
        TimeSpan? window = interval * 2;
        return new QueriedAllocation(end, granted, endSource, window, window is null ? null : $"LSF's JOB_TERMINATE_INTERVAL ({DisplayFormat.Duration(interval!.Value)}, `bparams -a`): SIGINT, SIGTERM, then SIGKILL");
    }

    /// <summary>Runs the scheduler's clients found on the job's PATH (or in Grid Engine's own bin directory).</summary>
    private sealed class Client(IReadOnlyDictionary<string, string> environment, OwnChildren children)
    {
        /// <summary>
        /// The client's output, or null when it is not installed, fails to start or overstays. Run under the exec
        /// shim, so that a SIGKILLed worker takes it along (parent-death signal), and recorded as the worker's own
        /// child, so that the command's end neither waits for it nor counts it as left behind.
        /// </summary>
        public async Task<string?> RunAsync(string program, string[] arguments, CancellationToken cancellationToken)
        {
            var path = ExecutableResolver.Resolve(program, Get(environment, "PATH"))
                ?? (Get(environment, "SGE_ROOT") is { } root && Get(environment, "SGE_ARCH") is { } arch ? ExecutableResolver.Resolve(Path.Combine(root, "bin", arch, program), null) : null);
            if (path is null || !File.Exists(path))
            {
                return null;
            }

            var variables = environment.Where(pair => pair.Key != "SLURM_TIME_FORMAT").Select(pair => $"{pair.Key}={pair.Value}").Append("SLURM_TIME_FORMAT=%s").ToList();
            IReadOnlyList<string> argv = [program, .. arguments];
            var shim = ExecShim.TryLoad(out _);
            // Without the shim (memfds refused), the query still runs, bounded by its timeout, as before.
            var spawned = shim is null ? path : shim.ExecutablePath;
            if (shim is not null)
            {
                argv = shim.Wrap(Environment.ProcessId, Signals.Kill, path, argv);
            }

            Task<string?> run;
            try
            {
                run = CapturedRun.RunAsync(spawned, argv, variables, QueryTimeout, children.Spawn, cancellationToken);
            }
            finally
            {
                // The spawn is done before RunAsync first awaits: the in-memory shim is needed no more.
                shim?.Dispose();
            }

            return await run.ConfigureAwait(false);
        }
    }
}
