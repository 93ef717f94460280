using WorkerNode.Execution;
using WorkerNode.Jobmon;
using WorkerNode.Reporting;

namespace WorkerNode.Tests.Reporting;

/// <summary>Issue 14: the texts Jobmon users search for (K keeps the Python worker's sentence; no Z ends in an empty "Error message was: ").</summary>
public sealed class OutcomeDescriptionTests
{
    private static readonly OutcomeDecision.ReportContext Context = new("/o", "/e", "node1", "77", null, Command: "python train.py --epochs 3");

    [Fact]
    public void A_kill_self_description_keeps_the_python_workers_sentence_with_the_command_beside_ours()
    {
        var stop = new StopRequest(StopReason.KillSelf, 2, "Task instance was told to kill itself (K) by the server: the workflow was resumed elsewhere");

        var outcome = OutcomeDecision.Decide(OutcomeDecisionTests.Result(new ExitStatus(null, 2), stop, stderr: string.Empty), Context);

        Assert.Equal(TaskInstanceStatus.Fatal, outcome.Report!.ErrorState);
        Assert.StartsWith("Command: 'python train.py --epochs 3' got KILL_SELF event. Process shut down with exit code: '130'. ", outcome.Report.ErrorDescription, StringComparison.Ordinal);
        Assert.Contains("told to kill itself (K)", outcome.Report.ErrorDescription, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(StopReason.TimeLimit)]
    [InlineData(StopReason.MemoryLimit)]
    public void A_resource_error_of_a_silent_command_does_not_end_in_an_empty_error_message(StopReason reason)
    {
        var outcome = OutcomeDecision.Decide(OutcomeDecisionTests.Result(new ExitStatus(null, 15), new StopRequest(reason, 15, "limit reached"), stderr: string.Empty), Context);

        Assert.Equal(TaskInstanceStatus.ResourceError, outcome.Report!.ErrorState);
        Assert.DoesNotContain("Error message was", outcome.Report.ErrorDescription, StringComparison.Ordinal);
        Assert.EndsWith("the command was stopped (killed by SIGTERM (status 143)).", outcome.Report.ErrorDescription, StringComparison.Ordinal);
    }

    [Fact]
    public void A_kernel_oom_kill_of_a_silent_command_does_not_end_in_an_empty_error_message()
    {
        var outcome = OutcomeDecision.Decide(OutcomeDecisionTests.Result(new ExitStatus(null, 9), stop: null, stderr: "  \n"), Context with { KernelOomKill = "the kernel's OOM killer killed 1 process" });

        Assert.Equal(TaskInstanceStatus.ResourceError, outcome.Report!.ErrorState);
        Assert.Equal("The kernel's OOM killer killed 1 process; Got exit_code: 137 (killed by SIGKILL).", outcome.Report.ErrorDescription);
    }

    [Fact]
    public void A_resource_error_with_stderr_still_quotes_it()
    {
        var outcome = OutcomeDecision.Decide(OutcomeDecisionTests.Result(new ExitStatus(null, 15), new StopRequest(StopReason.TimeLimit, 15, "time limit reached"), stderr: "slow\n"), Context);

        Assert.EndsWith(". Error message was: slow\n", outcome.Report!.ErrorDescription, StringComparison.Ordinal);
    }
}
