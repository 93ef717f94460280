using WorkerNode.Scheduler;

namespace WorkerNode.Tests.Scheduler;

public sealed class SchedulerDetectorTests
{
    private const int Pid = 4242;

    public static TheoryData<string, SchedulerKind, string, long?> Rows => new()
    {
        { "", SchedulerKind.Local, "4242", null },
        { "SLURM_JOB_ID=123", SchedulerKind.Slurm, "123", null },
        { "SLURM_JOB_ID=130 SLURM_ARRAY_JOB_ID=123 SLURM_ARRAY_TASK_ID=7", SchedulerKind.Slurm, "123_7", 7 },
        { "SLURM_JOB_ID=123 SLURM_ARRAY_JOB_ID=123 SLURM_ARRAY_TASK_ID=0", SchedulerKind.Slurm, "123_0", 0 },
        { "JOB_ID=55 SGE_ROOT=/opt/sge SGE_TASK_ID=undefined", SchedulerKind.Uge, "55", null },
        { "JOB_ID=55 SGE_CELL=default", SchedulerKind.Uge, "55", null },
        { "JOB_ID=55 SGE_ROOT=/opt/sge", SchedulerKind.Uge, "55", null },
        { "JOB_ID=55 SGE_ROOT=/opt/sge SGE_TASK_ID=3", SchedulerKind.Uge, "55.3", 3 },
        { "JOB_ID=55 SGE_TASK_ID=12", SchedulerKind.Uge, "55.12", 12 },
        { "JOB_ID=9 ARRAY_STEP_ID=2", SchedulerKind.JobmonMultiprocess, "9_2", 2 },
        { "JOB_ID=9", SchedulerKind.JobmonSequential, "9", null },
        { "PBS_JOBID=1234.pbs01", SchedulerKind.Pbs, "1234.pbs01", null },
        { "PBS_JOBID=1234[5].pbs01 PBS_ARRAY_INDEX=5", SchedulerKind.Pbs, "1234[5].pbs01", 5 },
        { "PBS_JOBID=1234[6].torque PBS_ARRAYID=6", SchedulerKind.Pbs, "1234[6].torque", 6 },
        { "LSB_JOBID=77", SchedulerKind.Lsf, "77", null },
        { "LSB_JOBID=77 LSB_JOBINDEX=0", SchedulerKind.Lsf, "77", null },
        { "LSB_JOBID=77 LSB_JOBINDEX=4", SchedulerKind.Lsf, "77[4]", 4 },

        // Blank variables are unset; Slurm comes first when a JOB_ID is inherited into a Slurm job.
        { "SLURM_JOB_ID= JOB_ID=", SchedulerKind.Local, "4242", null },
        { "SLURM_JOB_ID=123 JOB_ID=9 ARRAY_STEP_ID=2", SchedulerKind.Slurm, "123", null },
        { "JOB_ID=9 PBS_JOBID=1.pbs", SchedulerKind.JobmonSequential, "9", null },
        { "PBS_JOBID=1.pbs LSB_JOBID=77", SchedulerKind.Pbs, "1.pbs", null },
    };

    [Theory]
    [MemberData(nameof(Rows))]
    public void Every_scheduler_row(string variables, SchedulerKind kind, string distributorId, long? step)
    {
        var facts = SchedulerDetector.Detect(Parse(variables), Pid);
        Assert.Equal(new SchedulerFacts(kind, distributorId, step), facts);
    }

    [Theory]
    [InlineData("SLURM_JOB_ID=1 SLURM_ARRAY_JOB_ID=1 SLURM_ARRAY_TASK_ID=x", "SLURM_ARRAY_TASK_ID='x' is not a whole number: cannot tell this task's array step")]
    [InlineData("SLURM_JOB_ID=1 SLURM_ARRAY_JOB_ID=1 SLURM_ARRAY_TASK_ID=-1", "SLURM_ARRAY_TASK_ID='-1' is not a whole number: cannot tell this task's array step")]
    [InlineData("JOB_ID=55 SGE_TASK_ID=abc", "SGE_TASK_ID='abc' is not a whole number: cannot tell this task's array step")]
    [InlineData("JOB_ID=9 ARRAY_STEP_ID=2.5", "ARRAY_STEP_ID='2.5' is not a whole number: cannot tell this task's array step")]
    [InlineData("PBS_JOBID=1 PBS_ARRAY_INDEX=five", "PBS_ARRAY_INDEX='five' is not a whole number: cannot tell this task's array step")]
    [InlineData("PBS_JOBID=1 PBS_ARRAYID=x", "PBS_ARRAYID='x' is not a whole number: cannot tell this task's array step")]
    [InlineData("LSB_JOBID=77 LSB_JOBINDEX=1a", "LSB_JOBINDEX='1a' is not a whole number: cannot tell this task's array step")]
    [InlineData("SLURM_JOB_ID=1 SLURM_ARRAY_TASK_ID=3", "SLURM_ARRAY_TASK_ID is set but SLURM_ARRAY_JOB_ID is not: cannot tell the array job's id")]
    public void Malformed_array_steps_are_clear_errors(string variables, string message)
    {
        var e = Assert.Throws<SchedulerEnvironmentException>(() => SchedulerDetector.Detect(Parse(variables), Pid));
        Assert.Equal(message, e.Message);
    }

    private static Dictionary<string, string> Parse(string variables) =>
        variables.Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Select(pair => pair.Split('=', 2))
            .ToDictionary(pair => pair[0], pair => pair[1]);
}
