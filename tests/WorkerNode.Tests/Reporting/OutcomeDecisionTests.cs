using WorkerNode.Execution;
using WorkerNode.Jobmon;
using WorkerNode.Reporting;

namespace WorkerNode.Tests.Reporting;

public sealed class OutcomeDecisionTests
{
    private const string OomKill = "the kernel's OOM killer killed 1 process in the job's memory cgroup (v2 /sys/fs/cgroup/job_7, limit 4.00 GiB)";
    private static readonly OutcomeDecision.ReportContext Context = new("/o", "/e", "node1", "77", null);

    [Fact]
    public void A_memory_limit_stop_is_a_resource_error_with_the_stop_description_and_the_commands_status()
    {
        var stop = new StopRequest(StopReason.MemoryLimit, 15, "memory limit 200.00 MiB exceeded: tree RSS 403.46 MiB at 00:00:01 (3 processes)");

        var outcome = OutcomeDecision.Decide(Result(new ExitStatus(null, 9), stop), Context);

        Assert.Equal(TaskInstanceStatus.ResourceError, outcome.Report!.ErrorState);
        Assert.StartsWith("Memory limit 200.00 MiB exceeded: tree RSS 403.46 MiB at 00:00:01 (3 processes); the command was stopped (killed by SIGKILL (status 137))", outcome.Report.ErrorDescription, StringComparison.Ordinal);
        Assert.Equal(137, outcome.ExitCode);
    }

    [Fact]
    public void A_time_limit_stop_is_a_resource_error()
    {
        var outcome = OutcomeDecision.Decide(Result(new ExitStatus(null, 15), new StopRequest(StopReason.TimeLimit, 15, "time limit 00:00:02 reached")), Context);

        Assert.Equal(TaskInstanceStatus.ResourceError, outcome.Report!.ErrorState);
        Assert.StartsWith("Time limit 00:00:02 reached; the command was stopped", outcome.Report.ErrorDescription, StringComparison.Ordinal);
        Assert.Equal(143, outcome.ExitCode);
    }

    [Fact]
    public void A_failure_after_a_kernel_oom_kill_is_a_resource_error_naming_it()
    {
        var outcome = OutcomeDecision.Decide(Result(new ExitStatus(null, 9)), Context with { KernelOomKill = OomKill });

        Assert.Equal(TaskInstanceStatus.ResourceError, outcome.Report!.ErrorState);
        Assert.Equal($"The kernel's OOM killer killed 1 process in the job's memory cgroup (v2 /sys/fs/cgroup/job_7, limit 4.00 GiB); Got exit_code: 137 (killed by SIGKILL). Error message was: Killed\n", outcome.Report.ErrorDescription);
        Assert.Equal(137, outcome.ExitCode);
    }

    [Fact]
    public void A_success_after_a_kernel_oom_kill_is_still_done()
    {
        var outcome = OutcomeDecision.Decide(Result(new ExitStatus(0, null)), Context with { KernelOomKill = OomKill });

        Assert.Null(outcome.Report!.ErrorState);
        Assert.Equal(0, outcome.ExitCode);
    }

    [Fact]
    public void A_failure_without_an_oom_kill_keeps_the_python_workers_error()
    {
        var outcome = OutcomeDecision.Decide(Result(new ExitStatus(3, null)), Context);

        Assert.Equal(TaskInstanceStatus.Error, outcome.Report!.ErrorState);
        Assert.Equal("Got exit_code: 3. Error message was: Killed\n", outcome.Report.ErrorDescription);
    }

    [Fact]
    public void The_usage_goes_into_the_report()
    {
        var usage = new UsageFields("2.5", "1024", null, "1.25", "0", "wallclock 00:00:02.500");

        var outcome = OutcomeDecision.Decide(Result(new ExitStatus(0, null)), Context with { Usage = usage });

        Assert.Same(usage, outcome.Report!.Usage);
    }

    /// <summary>A command that ran for two seconds and ended with <paramref name="status"/>, having written <paramref name="stderr"/>.</summary>
    internal static CommandResult Result(ExitStatus status, StopRequest? stop = null, string stderr = "Killed\n")
    {
        var start = new DateTimeOffset(2024, 5, 1, 12, 0, 0, TimeSpan.Zero);
        return new CommandResult(status, stop, start, start + TimeSpan.FromSeconds(2), string.Empty, stderr);
    }
}
