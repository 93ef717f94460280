using System.Globalization;
using static WorkerNode.Scheduler.EnvironmentValues;

namespace WorkerNode.Scheduler;

/// <summary>
/// Tells which scheduler started the worker, and the ids the server knows the job by (PROTOCOL.md §6), from
/// the environment alone.
/// </summary>
/// <remarks>
/// The checks run in the order of the protocol's table: Slurm, then the JOB_ID family (UGE/SGE, Jobmon's
/// multiprocess and sequential distributors), then PBS, LSF, and finally local. The environment cannot always
/// tell nested cases apart: a Jobmon multiprocess workflow started inside an interactive Slurm job sees
/// SLURM_JOB_ID too, and is taken for Slurm. Slurm first is the safer guess, because Slurm jobs submitted from
/// inside a multiprocess task inherit JOB_ID and ARRAY_STEP_ID through sbatch's default --export=ALL.
/// </remarks>
public static class SchedulerDetector
{
    /// <summary>The facts for this task; throws <see cref="SchedulerEnvironmentException"/> for a malformed array index.</summary>
    public static SchedulerFacts Detect(IReadOnlyDictionary<string, string> environment, int processId)
    {
        ArgumentNullException.ThrowIfNull(environment);
        if (Get(environment, "SLURM_JOB_ID") is { } slurmJob)
        {
            return DetectSlurm(environment, slurmJob);
        }

        if (Get(environment, "JOB_ID") is { } jobId)
        {
            return DetectJobIdFamily(environment, jobId);
        }

        if (Get(environment, "PBS_JOBID") is { } pbsJob)
        {
            // PBS Pro exports PBS_ARRAY_INDEX; Torque, the other PBS, exports PBS_ARRAYID. An array subjob's
            // PBS_JOBID already names it (1234[5].server), so it is the distributor id either way.
            var index = Get(environment, "PBS_ARRAY_INDEX") is { } proIndex ? StepId("PBS_ARRAY_INDEX", proIndex)
                : Get(environment, "PBS_ARRAYID") is { } torqueIndex ? StepId("PBS_ARRAYID", torqueIndex)
                : (long?)null;
            return new SchedulerFacts(SchedulerKind.Pbs, pbsJob, index);
        }

        if (Get(environment, "LSB_JOBID") is { } lsfJob)
        {
            // Every element of an LSF array shares LSB_JOBID; LSF itself names an element JOBID[INDEX] (bjobs,
            // bkill), so that is the distributor id. LSB_JOBINDEX is 0 outside arrays, and array indices start at 1.
            if (Get(environment, "LSB_JOBINDEX") is { } lsfIndex && StepId("LSB_JOBINDEX", lsfIndex) is > 0 and var step)
            {
                return new SchedulerFacts(SchedulerKind.Lsf, $"{lsfJob}[{step}]", step);
            }

            return new SchedulerFacts(SchedulerKind.Lsf, lsfJob, null);
        }

        return new SchedulerFacts(SchedulerKind.Local, processId.ToString(CultureInfo.InvariantCulture), null);
    }

    private static SchedulerFacts DetectSlurm(IReadOnlyDictionary<string, string> environment, string slurmJob)
    {
        if (Get(environment, "SLURM_ARRAY_TASK_ID") is not { } task)
        {
            return new SchedulerFacts(SchedulerKind.Slurm, slurmJob, null);
        }

        var step = StepId("SLURM_ARRAY_TASK_ID", task);
        var arrayJob = Get(environment, "SLURM_ARRAY_JOB_ID")
            ?? throw new SchedulerEnvironmentException("SLURM_ARRAY_TASK_ID is set but SLURM_ARRAY_JOB_ID is not: cannot tell the array job's id");
        return new SchedulerFacts(SchedulerKind.Slurm, $"{arrayJob}_{task}", step);
    }

    private static SchedulerFacts DetectJobIdFamily(IReadOnlyDictionary<string, string> environment, string jobId)
    {
        var sgeTask = Get(environment, "SGE_TASK_ID");
        if (sgeTask is not null || Get(environment, "SGE_ROOT") is not null || Get(environment, "SGE_CELL") is not null)
        {
            // Grid Engine sets SGE_TASK_ID to the word "undefined" in jobs that are not arrays.
            if (sgeTask is null || sgeTask == "undefined")
            {
                return new SchedulerFacts(SchedulerKind.Uge, jobId, null);
            }

            return new SchedulerFacts(SchedulerKind.Uge, $"{jobId}.{sgeTask}", StepId("SGE_TASK_ID", sgeTask));
        }

        if (Get(environment, "ARRAY_STEP_ID") is { } arrayStep)
        {
            return new SchedulerFacts(SchedulerKind.JobmonMultiprocess, $"{jobId}_{arrayStep}", StepId("ARRAY_STEP_ID", arrayStep));
        }

        return new SchedulerFacts(SchedulerKind.JobmonSequential, jobId, null);
    }

    private static long StepId(string variable, string value) =>
        ParseCount(value) ?? throw new SchedulerEnvironmentException(
            $"{variable}='{value}' is not a whole number: cannot tell this task's array step");
}
