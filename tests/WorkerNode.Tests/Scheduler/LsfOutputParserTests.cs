using WorkerNode.Scheduler;

namespace WorkerNode.Tests.Scheduler;

/// <summary>
/// LSF's answers as its documentation describes them (LSF 10.1: bjobs -o ... -hms -json, bparams -a); no real LSF
/// was available to record them from.
/// </summary>
public sealed class LsfOutputParserTests
{
    [Fact]
    public void The_run_limit_and_run_time_of_the_first_record()
    {
        const string json = """{"COMMAND":"bjobs","JOBS":1,"RECORDS":[{"JOBID":"4242","RUNTIMELIMIT":"01:00:00","RUN_TIME":"00:00:05"}]}""";

        Assert.Equal((TimeSpan.FromHours(1), TimeSpan.FromSeconds(5), "01:00:00"), SchedulerOutputParser.LsfJob(json));
    }

    [Theory]
    [InlineData("""{"COMMAND":"bjobs","JOBS":1,"RECORDS":[{"JOBID":"4242","RUNTIMELIMIT":"","RUN_TIME":"00:00:05"}]}""")]
    [InlineData("""{"COMMAND":"bjobs","JOBS":1,"RECORDS":[{"JOBID":"4242","RUNTIMELIMIT":"-","RUN_TIME":"00:00:05"}]}""")]
    [InlineData("""{"COMMAND":"bjobs","JOBS":1,"RECORDS":[{"JOBID":"4242"}]}""")]
    [InlineData("""{"COMMAND":"bjobs","JOBS":0,"RECORDS":[]}""")]
    [InlineData("""{"COMMAND":"bjobs","JOBS":1,"RECORDS":[{"JOBID":"4242","RUNTIMELIMIT":60}]}""")]
    [InlineData("Job <4242> is not found")]
    [InlineData("[1, 2]")]
    [InlineData("")]
    public void No_run_limit_or_no_usable_answer_is_null(string output) => Assert.Null(SchedulerOutputParser.LsfJob(output).Limit);

    [Theory]
    [InlineData("00:03:00", 180)]
    [InlineData("3.0", 180)]
    [InlineData("3.0/hostA", 180)]
    [InlineData("600.0 min", 36_000)]
    [InlineData("125 second(s)", 125)]
    [InlineData("1:00:00:00", null)]
    [InlineData("-", null)]
    [InlineData("", null)]
    [InlineData("unlimited", null)]
    [InlineData("-3.0", null)]
    public void Durations_as_bjobs_prints_them(string text, int? seconds) =>
        Assert.Equal(seconds is { } s ? TimeSpan.FromSeconds(s) : null, SchedulerOutputParser.LsfDuration(text));

    [Fact]
    public void The_terminate_interval_from_bparams()
    {
        const string output = "System default queue for batch jobs: \n    DEFAULT_QUEUE = normal\n    JOB_TERMINATE_INTERVAL = 3\n    MAX_JOB_NUM = 1000\n";

        Assert.Equal(TimeSpan.FromSeconds(3), SchedulerOutputParser.LsfTerminateInterval(output));
        Assert.Null(SchedulerOutputParser.LsfTerminateInterval("    JOB_TERMINATE_INTERVAL = soon\n"));
        Assert.Null(SchedulerOutputParser.LsfTerminateInterval("nothing here"));
    }
}
