using WorkerNode.Jobmon;
using WorkerNode.Lifecycle;
using WorkerNode.Logging;
using WorkerNode.Reporting;
using WorkerNode.Tests.Reporting;

namespace WorkerNode.Tests.Scheduler;

/// <summary>
/// The outcome is in the spool from the stop signal on (what a scheduler's SIGKILL may follow at any moment), one
/// claimed file at a time, each better report in place of the one before; nothing without a stop signal.
/// </summary>
public sealed class StopSpoolTests : IDisposable
{
    private readonly SpoolFiles _files = new();
    private readonly WorkerLog _log = new(new MemoryStream(), LogLevel.Debug, LogFormat.Text, TimeProvider.System);
    private readonly CancellationTokenSource _stop = new();

    private static FinalReport Provisional { get; } = Report(TaskInstanceStatus.Error, "stopped from outside; the worker was killed before the command had ended");

    private static FinalReport Final { get; } = Report(TaskInstanceStatus.ResourceError, "time limit");

    public void Dispose()
    {
        _stop.Dispose();
        _files.Dispose();
    }

    [Fact]
    public void Without_a_stop_signal_nothing_is_written()
    {
        using var spool = Start();
        spool.WhileRunning(() => Provisional);

        Assert.Null(spool.Delivering(Final));
        Assert.Null(spool.Finish());
        Assert.Empty(_files.Names());
    }

    [Fact]
    public void A_stop_while_the_command_runs_writes_at_once_and_the_final_report_replaces_it_under_the_same_name()
    {
        using var spool = Start();
        spool.WhileRunning(() => Provisional);

        _stop.Cancel();
        var provisional = Assert.Single(_files.Names());
        Assert.Contains(".json.claimed-", provisional, StringComparison.Ordinal);
        Assert.Equal(TaskInstanceStatus.Error, ReadOnly().Report.TargetStatus);

        var claim = spool.Delivering(Final);
        Assert.Equal([provisional], _files.Names());
        Assert.Equal(TaskInstanceStatus.ResourceError, ReadOnly().Report.TargetStatus);
        Assert.Same(claim, spool.Finish());
    }

    [Fact]
    public void A_stop_before_the_command_is_watched_writes_when_it_is()
    {
        _stop.Cancel();
        using var spool = Start();
        Assert.Empty(_files.Names());

        spool.WhileRunning(() => Provisional);

        Assert.Single(_files.Names());
        Assert.Equal(TaskInstanceStatus.Error, ReadOnly().Report.TargetStatus);
    }

    [Fact]
    public void A_stop_during_the_delivery_writes_the_report_being_delivered()
    {
        using var spool = Start();
        spool.WhileRunning(() => Provisional);
        Assert.Null(spool.Delivering(Final));

        _stop.Cancel();

        Assert.Single(_files.Names());
        Assert.Equal(TaskInstanceStatus.ResourceError, ReadOnly().Report.TargetStatus);
        Assert.NotNull(spool.Finish());
    }

    [Fact]
    public void A_stop_after_the_delivery_writes_nothing()
    {
        using var spool = Start();
        spool.WhileRunning(() => Provisional);
        spool.Delivering(Final);
        Assert.Null(spool.Finish());

        _stop.Cancel();

        Assert.Empty(_files.Names());
    }

    [Fact]
    public void Without_a_spool_a_stop_writes_nothing_and_nothing_fails()
    {
        using var spool = new StopSpool(null, ToSpooled, _log, _stop.Token);
        spool.WhileRunning(() => Provisional);
        _stop.Cancel();

        Assert.Null(spool.Delivering(Final));
        Assert.Null(spool.Finish());
    }

    private static FinalReport Report(TaskInstanceStatus status, string description) =>
        new(status, description, "/logs/t.o1", "/logs/t.e1", string.Empty, string.Empty, "node1", "1", null);

    private static SpooledReport ToSpooled(FinalReport report, string reason) =>
        SpooledReport.Create(FinalReportEnvelope.Create(12, report), SpoolFiles.Server, "slurm", "node1", reason, DateTimeOffset.UtcNow);

    private StopSpool Start() => new(_files.Spool, ToSpooled, _log, _stop.Token);

    private SpooledReport ReadOnly()
    {
        var file = Assert.Single(Directory.GetFiles(_files.Path));
        return SpooledReport.FromJson(File.ReadAllText(file));
    }
}
