using System.CommandLine;

namespace WorkerNode.Cli;

/// <summary>The flags for common configuration keys (PROTOCOL.md §2: a flag beats a variable beats the file).</summary>
internal static class ConfigFlags
{
    public static readonly IReadOnlyList<ConfigFlag> All =
    [
        new("--service-url", "http.service_url", "Jobmon server, e.g. http://jobmon.example:8070 (http.service_url).", ServerModeOnly: true),
        new("--route-prefix", "http.route_prefix", "API prefix joined to the service URL (default /api/v3).", ServerModeOnly: true),
        new("--request-timeout", "http.request_timeout", "Seconds per HTTP attempt (default 20).", ServerModeOnly: true),
        new("--retries-attempts", "http.retries_attempts", "Attempts per request (default 10).", ServerModeOnly: true),
        new("--retries-timeout", "http.retries_timeout", "Seconds of retrying per request (default 300).", ServerModeOnly: true),
        new("--heartbeat-interval", "heartbeat.task_instance_interval", "Seconds between heartbeats (default 90).", ServerModeOnly: true),
        new("--report-by-buffer", "heartbeat.report_by_buffer", "Heartbeat intervals the server waits before giving up (default 3.1).", ServerModeOnly: true),
        new("--on-lost-server", "worker_node.on_lost_server", "stop (default) or continue the command when no heartbeat lands for next_report_increment.", ServerModeOnly: true),
        new("--spool-dir", "worker_node.spool_dir", "Where undelivered final reports are kept.", ServerModeOnly: true),
        new("--metrics-dir", "worker_node.metrics_dir", "Write each task's resource profile here, named like its log files (see 'worker-node report').", ServerModeOnly: true),
        new("--command-interrupt-timeout", "worker_node.command_interrupt_timeout", "Seconds between the polite signal and SIGKILL (default 10).", ServerModeOnly: false),
        new("--time-limit", "worker_node.time_limit", "Wall-clock limit: 90s, 15m, 2h, 01:30:00, 1-02:00:00.", ServerModeOnly: false),
        new("--memory-limit", "worker_node.memory_limit", "Memory limit of the whole process tree: 512M, 4G, 1.5T (binary units).", ServerModeOnly: false),
        new("--limits-from-scheduler", "worker_node.limits_from_scheduler", "Derive limits from the scheduler's allocation (default: on in server mode, off in run).", ServerModeOnly: false, IsSwitch: true),
        new("--memory-margin", "worker_node.memory_margin", "Safety margin under the scheduler's memory (default 5%).", ServerModeOnly: false),
        new("--time-margin", "worker_node.time_margin", "Safety margin before the scheduler's end time (default 60s).", ServerModeOnly: false),
        new("--memory-metric", "worker_node.memory_metric", "rss (default) or pss.", ServerModeOnly: false),
        new("--sample-interval", "worker_node.sample_interval", "Time between usage samples (default 1s).", ServerModeOnly: false),
        new("--log-level", "worker_node.log_level", "debug, info (default), warning or error.", ServerModeOnly: false),
        new("--log-format", "worker_node.log_format", "text (default) or json.", ServerModeOnly: false),
        new("--log-output", "worker_node.log_output", "stdout or stderr (default: stdout in server mode, as the Python worker; stderr for run).", ServerModeOnly: false),
    ];

    /// <summary>Options for the flags a mode uses, paired with their definitions.</summary>
    public static List<(ConfigFlag Flag, Option<string> Option)> CreateOptions(bool serverMode) =>
        CreateOptions(flag => serverMode || !flag.ServerModeOnly);

    /// <summary>Options for the flags <paramref name="include"/> picks, in the order of <see cref="All"/>.</summary>
    public static List<(ConfigFlag Flag, Option<string> Option)> CreateOptions(Func<ConfigFlag, bool> include)
    {
        var options = new List<(ConfigFlag, Option<string>)>();
        foreach (var flag in All)
        {
            if (!include(flag))
            {
                continue;
            }

            var option = new Option<string>(flag.Name)
            {
                Description = flag.Description,
                HelpName = flag.IsSwitch ? "true|false" : "value",
            };
            if (flag.IsSwitch)
            {
                option.Arity = ArgumentArity.ZeroOrOne;
            }

            options.Add((flag, option));
        }

        return options;
    }

    /// <summary>The flags given on this command line, as raw strings for the configuration loader.</summary>
    public static List<(string Key, string Value, string FlagName)> Collect(ParseResult parseResult, List<(ConfigFlag Flag, Option<string> Option)> options)
    {
        var given = new List<(string, string, string)>();
        foreach (var (flag, option) in options)
        {
            var result = parseResult.GetResult(option);
            if (result is null || result.Implicit)
            {
                continue;
            }

            var value = parseResult.GetValue(option);
            given.Add((flag.Key, value ?? (flag.IsSwitch ? "true" : string.Empty), flag.Name));
        }

        return given;
    }
}
