using System.Text;
using WorkerNode.Configuration;
using WorkerNode.Logging;
using WorkerNode.Monitoring;
using WorkerNode.Scheduler;
using WorkerNode.Tests.Scheduler;

namespace WorkerNode.Tests.Monitoring;

public sealed class LimitsResolverTests
{
    private static readonly DateTimeOffset Now = new(2024, 5, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly FixedTimeProvider Clock = new(Now);

    private static readonly Dictionary<string, string> Slurm = new()
    {
        ["SLURM_JOB_ID"] = "42",
        ["SLURM_MEM_PER_NODE"] = "1000",
        ["SLURM_JOB_END_TIME"] = (Now + TimeSpan.FromHours(1)).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    private readonly MemoryStream _logSink = new();

    private string LogText => Encoding.UTF8.GetString(_logSink.ToArray());

    [Fact]
    public void Server_mode_derives_limits_from_the_allocation_by_default_with_the_margins()
    {
        var limits = Resolve(new WorkerNodeSettings(), serverMode: true);

        Assert.Equal((long)Math.Floor((1000L << 20) * 0.95), limits.MemoryLimitBytes);
        Assert.Equal(TimeSpan.FromMinutes(59), limits.TimeLimit);
        Assert.Contains("INFO enforcing limits time_limit=00:59:00 time_limit_from=\"SLURM_JOB_END_TIME=", LogText, StringComparison.Ordinal);
        Assert.Contains("memory_limit=\"950.00 MiB\" memory_limit_from=\"SLURM_MEM_PER_NODE=1000 (1000.00 MiB) minus 5% margin\"", LogText, StringComparison.Ordinal);
    }

    [Fact]
    public void Standalone_mode_leaves_the_allocation_alone_by_default()
    {
        var limits = Resolve(new WorkerNodeSettings(), serverMode: false);

        Assert.Null(limits.MemoryLimitBytes);
        Assert.Null(limits.TimeLimit);
        Assert.Equal(string.Empty, LogText);
    }

    [Fact]
    public void The_setting_overrides_the_modes_default()
    {
        Assert.NotNull(Resolve(new WorkerNodeSettings { LimitsFromScheduler = true }, serverMode: false).MemoryLimitBytes);
        Assert.Null(Resolve(new WorkerNodeSettings { LimitsFromScheduler = false }, serverMode: true).MemoryLimitBytes);
    }

    [Fact]
    public void Explicit_limits_win_and_say_so()
    {
        var limits = Resolve(new WorkerNodeSettings { MemoryLimitBytes = 200L << 20, TimeLimit = TimeSpan.FromSeconds(2) }, serverMode: true);

        Assert.Equal(200L << 20, limits.MemoryLimitBytes);
        Assert.Equal(Now + TimeSpan.FromSeconds(2), limits.Deadline);
        Assert.Contains("memory_limit_from=\"worker_node.memory_limit 200.00 MiB\"", LogText, StringComparison.Ordinal);
    }

    [Fact]
    public void A_variable_that_cannot_be_used_is_logged_with_the_reason()
    {
        var environment = new Dictionary<string, string> { ["SLURM_JOB_ID"] = "42", ["SLURM_MEM_PER_NODE"] = "0" };

        var limits = LimitsResolver.Resolve(new WorkerNodeSettings(), serverMode: true, () => SchedulerKind.Slurm, environment, Log(), Clock);

        Assert.Null(limits.MemoryLimitBytes);
        Assert.Contains("no memory limit derived from the scheduler reason=\"SLURM_MEM_PER_NODE=0 (all of the node's memory); no memory limit derived\"", LogText, StringComparison.Ordinal);
        Assert.DoesNotContain("enforcing limits", LogText, StringComparison.Ordinal);
    }

    private ResourceLimits Resolve(WorkerNodeSettings settings, bool serverMode) =>
        LimitsResolver.Resolve(settings, serverMode, () => SchedulerKind.Slurm, Slurm, Log(), Clock);

    private WorkerLog Log() => new(_logSink, LogLevel.Debug, LogFormat.Text, Clock);
}
