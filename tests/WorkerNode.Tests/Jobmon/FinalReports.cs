using WorkerNode.Jobmon;

namespace WorkerNode.Tests.Jobmon;

/// <summary>Sample final reports.</summary>
internal static class FinalReports
{
    public static readonly UsageFields Usage = new("12.5", "1048576", null, "3.25", "4096", "wallclock 12.5 s, maxrss 1 MiB");

    public static FinalReport Done(UsageFields? usage = null) =>
        new(null, null, "/out/t.o1", "/err/t.e1", "hello\n", string.Empty, "node1", "1234", usage);

    public static FinalReport Error(string? distributorId = "1234") =>
        new(TaskInstanceStatus.Error, "Got exit_code: 3. Error message was: oops\n", "/out/t.o1", "/err/t.e1", "out", "oops", "node1", distributorId, null);
}
