using WorkerNode.Scheduler;

namespace WorkerNode.Tests.Scheduler;

/// <summary>The schedulers' clients' output, as Slurm 22.05 and SGE 8.1.9 printed it on the test machine.</summary>
public sealed class SchedulerOutputParserTests
{
    [Fact]
    public void Scontrol_show_job_with_unix_times_gives_start_end_and_the_limit()
    {
        const string output = """
            JobId=35 JobName=fit_model_3
               JobState=RUNNING Reason=None Dependency=(null)
               RunTime=00:00:02 TimeLimit=00:02:00 TimeMin=N/A
               SubmitTime=1796285828 EligibleTime=1796285828
               StartTime=1796285828 EndTime=1796285948 Deadline=N/A
            """;

        var (start, end, limit) = SchedulerOutputParser.SlurmJob(output);

        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1796285828), start);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1796285948), end);
        Assert.Equal("00:02:00", limit);
    }

    [Fact]
    public void Scontrol_show_job_in_local_time_format_gives_no_end()
    {
        var (_, end, _) = SchedulerOutputParser.SlurmJob("StartTime=2026-12-03T08:17:08 EndTime=2026-12-03T08:19:08");

        Assert.Null(end);
    }

    [Theory]
    [InlineData("KillWait                = 5 sec", 5)]
    [InlineData("KillWait                = 30 sec", 30)]
    public void Scontrol_show_config_gives_KillWait(string line, int seconds) =>
        Assert.Equal(TimeSpan.FromSeconds(seconds), SchedulerOutputParser.SlurmKillWait($"InactiveLimit = 0 sec\n{line}\nKillOnBadExit = 0"));

    [Fact]
    public void Qstat_j_gives_the_smaller_of_h_rt_and_s_rt_and_notify()
    {
        const string output = """
            job_number:                 5
            submission_time:            Thu Dec  3 08:17:12 2026
            hard resource_list:         h_rt=90,s_rt=80
            notify:                     TRUE
            """;

        var (limit, name, notify) = SchedulerOutputParser.GridEngineJob(output);

        Assert.Equal(TimeSpan.FromSeconds(80), limit);
        Assert.Equal("s_rt=80", name);
        Assert.True(notify);
    }

    [Fact]
    public void Qstat_j_without_a_run_time_limit_gives_none()
    {
        var (limit, _, notify) = SchedulerOutputParser.GridEngineJob("hard resource_list:         h_vmem=256M\nnotify:                     FALSE");

        Assert.Null(limit);
        Assert.False(notify);
    }

    [Theory]
    [InlineData("40", 40)]
    [InlineData("02:00:00", 7200)]
    [InlineData("1:30", 90)]
    public void Grid_Engine_times_are_seconds_or_clock_times(string text, int seconds) =>
        Assert.Equal(TimeSpan.FromSeconds(seconds), SchedulerOutputParser.GridEngineTime(text));

    [Theory]
    [InlineData("INFINITY")]
    [InlineData("0")]
    [InlineData("1:2:3:4")]
    public void Grid_Engine_times_that_are_no_limit_give_none(string text) => Assert.Null(SchedulerOutputParser.GridEngineTime(text));

    [Fact]
    public void Qconf_sq_gives_the_notify_time() =>
        Assert.Equal(TimeSpan.FromSeconds(10), SchedulerOutputParser.GridEngineNotify("qname                 all.q\nnotify                00:00:10\nowner_list            NONE"));
}
