using WorkerNode.Configuration;
using WorkerNode.Execution;
using WorkerNode.Interop;
using WorkerNode.Logging;
using WorkerNode.Monitoring;
using WorkerNode.Scheduler;

namespace WorkerNode.Lifecycle;

/// <summary>
/// Puts what the scheduler answers (<see cref="AllocationQuery"/>) to work while the command runs: a
/// time limit its environment did not export goes to the watchdog; its kill window goes to the signal
/// router (grace and report fit in it); under Grid Engine, SIGUSR2 near h_rt becomes a time-limit stop.
/// The queries run once the command has run for <see cref="QueryDelay"/>, never before it; when no time
/// limit is found, one INFO line says so.
/// </summary>
internal static class SchedulerAnswers
{
    /// <summary>
    /// How long the command runs before the scheduler is asked. Run at once, the queries (a shim and
    /// scontrol or qstat each, tens of milliseconds of CPU time) competed with the worker's own start-up
    /// and added 28–40 ms to a server task of `true` on two busy cores (scripts/bench.d/sched). A task
    /// shorter than this never asks; a limit is never that short (Slurm's smallest is a minute); and a
    /// stop signal that comes first is still handled: the outcome is spooled at the signal (StopSpool),
    /// within the configured grace.
    /// </summary>
    public static readonly TimeSpan QueryDelay = TimeSpan.FromSeconds(1);

    /// <summary>Starts the queries; the task ends when their answers are applied (or the token cancels them).</summary>
    public static Task StartAsync(
        SchedulerKind kind,
        IReadOnlyDictionary<string, string> environment,
        WorkerNodeSettings settings,
        bool serverMode,
        ResourceLimits limits,
        CommandMonitor monitor,
        SignalRouter signals,
        WorkerLog log,
        TimeProvider time,
        OwnChildren children,
        CancellationToken cancellationToken)
    {
        var fromScheduler = settings.LimitsFromScheduler ?? serverMode;
        // Also when only the end is known: the scheduler's TimeLimit sizes the margin of a short job.
        var needEnd = fromScheduler && (limits.TimeLimit is null || limits.GrantedTimeUnknown);
        if (kind is not (SchedulerKind.Slurm or SchedulerKind.Uge or SchedulerKind.Lsf))
        {
            if (needEnd && limits.TimeLimit is null)
            {
                log.Info("no time limit: the scheduler exports none and the worker has none set", ("scheduler", kind.ToString()));
            }

            return Task.CompletedTask;
        }

        return Task.Run(
            async () =>
            {
                QueriedAllocation answer;
                try
                {
                    await Task.Delay(QueryDelay, time, cancellationToken).ConfigureAwait(false);
                    answer = await AllocationQuery.RunAsync(kind, environment, needEnd, time, children, cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                // The worker is ending: a query cut short has nothing to say (not "no answer within 5 s").
                if (cancellationToken.IsCancellationRequested)
                {
                    return;
                }

                Apply(answer, kind, needEnd, limits.TimeLimit is not null, settings, monitor, signals, log, time);
            },
            CancellationToken.None);
    }

    private static void Apply(QueriedAllocation answer, SchedulerKind kind, bool needEnd, bool haveEnd, WorkerNodeSettings settings, CommandMonitor monitor, SignalRouter signals, WorkerLog log, TimeProvider time)
    {
        if (answer.KillWindow is { } window)
        {
            signals.SetKillWindow(window, answer.KillWindowSource ?? kind.ToString());
            log.Debug("the scheduler's kill window", ("window", window), ("from", answer.KillWindowSource));
        }

        if (!needEnd)
        {
            return;
        }

        if (answer.End is not { } end || (haveEnd && answer.Granted is null))
        {
            if (haveEnd)
            {
                // The environment's end time stands, with the configured margin.
                log.Debug("the scheduler did not say the granted time limit; the configured margin stays", ("reason", answer.EndSource ?? "no answer"));
                return;
            }

            log.Info("no time limit: the scheduler gave none", ("reason", answer.EndSource ?? "no answer"));
            return;
        }

        var margin = TimeMargin.For(answer.Granted, settings.TimeMargin);
        var deadline = ClockArithmetic.Subtract(end, margin);
        var now = time.GetUtcNow();
        var limit = deadline > now ? deadline - now : TimeSpan.Zero;
        var source = answer.EndSource + TimeMargin.Text(margin);
        log.Info("enforcing the scheduler's time limit", ("time_limit", DisplayFormat.Duration(limit)), ("time_limit_from", source));
        // In place of the environment's end with its configured margin: the same end, the margin sized anew.
        monitor.ApplyDeadline(deadline, limit, source, replace: haveEnd);

        if (kind == SchedulerKind.Uge)
        {
            // SIGUSR2 the notify time before h_rt (or s_rt) is the limit, not a qdel.
            var warning = (answer.KillWindow ?? TimeSpan.Zero) + TimeSpan.FromSeconds(5);
            signals.OnNotifiedKill(() => time.GetUtcNow() >= end - warning
                ? new StopRequest(StopReason.TimeLimit, Signals.Term, LimitWatchdog.TimeDescription(answer.Granted ?? limit, answer.EndSource) + "; Grid Engine announced the kill with SIGUSR2")
                : null);
        }
    }
}
