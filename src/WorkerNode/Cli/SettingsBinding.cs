using System.CommandLine;
using WorkerNode.Configuration;
using WorkerNode.Logging;

namespace WorkerNode.Cli;

/// <summary>Turns a parsed command line into settings through the configuration loader, and errors into exit statuses.</summary>
internal static class SettingsBinding
{
    public static Option<string> CreateConfigOption() => new("--config")
    {
        Description = "Jobmon YAML configuration file (default: $JOBMON__CONFIG_FILE).",
        HelpName = "FILE",
    };

    /// <summary>Loads the settings; on a bad value writes one line and gives 2 (a flag) or 198 (file or variable).</summary>
    public static bool TryLoad(
        CliContext context,
        ParseResult parseResult,
        Option<string> config,
        List<(ConfigFlag Flag, Option<string> Option)> flags,
        out WorkerSettings settings,
        out int exitCode,
        bool usesServer = true)
    {
        try
        {
            var input = new ConfigurationInput(parseResult.GetValue(config), context.Environment, ConfigFlags.Collect(parseResult, flags)) { UsesServer = usesServer };
            settings = ConfigurationLoader.Load(input);
            exitCode = 0;
            return true;
        }
        catch (ConfigurationException exception)
        {
            context.Error.WriteLine($"worker-node: {exception.Message}");
            settings = new WorkerSettings();
            exitCode = exception.IsUsageError ? ExitCodes.Usage : ExitCodes.Environment;
            return false;
        }
    }

    /// <summary>
    /// The worker's log, on <paramref name="defaultDestination"/> unless worker_node.log_output says otherwise.
    /// Server mode logs to stdout, as the Python worker does: the batch output file under Slurm, the user's console
    /// under the multiprocess distributor, whose stderr pipe is read only at start and shutdown.
    /// </summary>
    public static WorkerLog CreateLog(WorkerSettings settings, CliContext context, LogDestination defaultDestination)
    {
        var log = new WorkerLog(context.Outputs.For(settings.WorkerNode.LogOutput ?? defaultDestination), settings.WorkerNode.LogLevel, settings.WorkerNode.LogFormat, context.Time);
        foreach (var warning in settings.Warnings)
        {
            log.Warning(warning);
        }

        return log;
    }
}
