using System.CommandLine;
using WorkerNode.Lifecycle;

namespace WorkerNode.Cli;

/// <summary>
/// <c>worker_node_job</c> and <c>worker_node_array</c>, with exactly the Python worker's flags
/// (PROTOCOL.md §1: underscores, unknown flags refused), plus ours for configuration.
/// </summary>
internal static class ServerCommands
{
    public const string JobCommandName = "worker_node_job";
    public const string ArrayCommandName = "worker_node_array";

    /// <summary>True when the command line starts a server task (its first word names one of the two commands).</summary>
    public static bool StartsServerTask(IReadOnlyList<string> args) =>
        args.Count > 0 && args[0] is JobCommandName or ArrayCommandName;

    public static Command CreateJob(CliContext context)
    {
        var taskInstanceId = IdOption.Create("--task_instance_id", "The task instance to run.", minimum: 1);
        var command = new Command(JobCommandName, """
            Run one task instance for the Jobmon server: log running, run its command, heartbeat, report the outcome.

            Example:
              worker-node worker_node_job --task_instance_id 12 --cluster_name slurm --expected_jobmon_version 3.4.0 \
                  --service-url http://jobmon.example:8070
            """);
        command.Options.Add(taskInstanceId);
        return Complete(command, context, parseResult => new ServerTask.Job(parseResult.GetValue(taskInstanceId)));
    }

    public static Command CreateArray(CliContext context)
    {
        var arrayId = IdOption.Create("--array_id", "The task array.", minimum: 1);
        var batchNumber = IdOption.Create("--batch_number", "The batch of the array.", minimum: 0);
        var command = new Command(ArrayCommandName, """
            Run one task of a Jobmon array: the task instance comes from the array id, the batch number and
            the scheduler's array index (SLURM_ARRAY_TASK_ID, SGE_TASK_ID, ...).

            Example:
              worker-node worker_node_array --array_id 7 --batch_number 0 --cluster_name slurm --expected_jobmon_version 3.4.0
            """);
        command.Options.Add(arrayId);
        command.Options.Add(batchNumber);
        return Complete(command, context, parseResult => new ServerTask.ArrayTask(parseResult.GetValue(arrayId), parseResult.GetValue(batchNumber)));
    }

    private static Command Complete(Command command, CliContext context, Func<ParseResult, ServerTask> task)
    {
        var clusterName = new Option<string>("--cluster_name") { Description = "The cluster, as the distributor names it (e.g. slurm).", Required = true, HelpName = "NAME" };
        var expectedVersion = new Option<string>("--expected_jobmon_version") { Description = "The Jobmon version of the workflow's client; any 3.x.y is accepted.", Required = true, HelpName = "VERSION" };
        var config = SettingsBinding.CreateConfigOption();
        var flags = ConfigFlags.CreateOptions(serverMode: true);
        command.Options.Add(clusterName);
        command.Options.Add(expectedVersion);
        command.Options.Add(config);
        foreach (var (_, option) in flags)
        {
            command.Options.Add(option);
        }

        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var expected = parseResult.GetValue(expectedVersion) ?? string.Empty;
            if (!ProtocolVersion.IsCompatible(expected))
            {
                context.Error.WriteLine(ProtocolVersion.MismatchMessage(expected));
                return ExitCodes.Environment;
            }

            if (!SettingsBinding.TryLoad(context, parseResult, config, flags, out var settings, out var exitCode))
            {
                return exitCode;
            }

            var log = SettingsBinding.CreateLog(settings, context, Logging.LogDestination.Stdout);
            var options = new ServerOptions(task(parseResult), parseResult.GetValue(clusterName) ?? string.Empty, expected);
            return await new ServerRun(options, settings, context, log).ExecuteAsync(cancellationToken).ConfigureAwait(false);
        });
        return command;
    }
}
