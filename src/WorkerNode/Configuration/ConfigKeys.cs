using P = WorkerNode.Configuration.ConfigValueParsers;

namespace WorkerNode.Configuration;

/// <summary>
/// The registry: every key the worker reads, declared once. The YAML file, the JOBMON__ variables and the
/// flags all go through it, so a key's name, parser and target cannot drift apart.
/// </summary>
internal static class ConfigKeys
{
    /// <summary>Names the YAML file when <c>--config</c> is not given.</summary>
    public const string ConfigFileVariable = "JOBMON__CONFIG_FILE";

    public static readonly ConfigKey ServiceUrl = ConfigKey.Of<Uri>(
        "http", "service_url", P.HttpUrl, (s, v) => s with { Http = s.Http with { ServiceUrl = v } }, isUrl: true);

    public static readonly ConfigKey AuthToken = ConfigKey.Of<string>(
        "http", "auth_token", P.Text, (s, v) => s with { Http = s.Http with { AuthToken = v } }, isSecret: true);

    public static readonly ConfigKey AuthTokenFile = ConfigKey.Of<string>(
        "http", "auth_token_file", P.Text, (s, v) => s with { Http = s.Http with { AuthTokenFile = v } });

    public static readonly ConfigKey CaBundle = ConfigKey.Of<string>(
        "http", "ca_bundle", P.Text, (s, v) => s with { Http = s.Http with { CaBundle = v } });

    public static readonly ConfigKey HeartbeatInterval = ConfigKey.Of<TimeSpan>(
        "heartbeat", "task_instance_interval", P.PositiveSeconds, (s, v) => s with { Heartbeat = s.Heartbeat with { Interval = v } });

    public static readonly ConfigKey ReportByBuffer = ConfigKey.Of<double>(
        "heartbeat", "report_by_buffer", P.AtLeastOneNumber, (s, v) => s with { Heartbeat = s.Heartbeat with { ReportByBuffer = v } });

    private static readonly ConfigKey[] Keys =
    [
        ServiceUrl,
        ConfigKey.Of<string>("http", "route_prefix", P.RoutePrefix, (s, v) => s with { Http = s.Http with { RoutePrefix = v } }),
        ConfigKey.Of<TimeSpan>("http", "request_timeout", P.PositiveSeconds, (s, v) => s with { Http = s.Http with { RequestTimeout = v } }),
        ConfigKey.Of<int>("http", "retries_attempts", P.AtLeastOneInteger, (s, v) => s with { Http = s.Http with { RetriesAttempts = v } }),
        ConfigKey.Of<TimeSpan>("http", "retries_timeout", P.PositiveSeconds, (s, v) => s with { Http = s.Http with { RetriesTimeout = v } }),
        AuthToken,
        AuthTokenFile,
        CaBundle,
        HeartbeatInterval,
        ReportByBuffer,
        WorkerNodeKey<TimeSpan>("command_interrupt_timeout", P.NonNegativeSeconds, (w, v) => w with { CommandInterruptTimeout = v }),
        WorkerNodeKey<TimeSpan>("time_limit", P.TimeLimit, (w, v) => w with { TimeLimit = v }),
        WorkerNodeKey<long>("memory_limit", P.MemoryLimit, (w, v) => w with { MemoryLimitBytes = v }),
        WorkerNodeKey<bool>("limits_from_scheduler", P.Boolean, (w, v) => w with { LimitsFromScheduler = v }),
        WorkerNodeKey<double>("memory_margin", P.Fraction, (w, v) => w with { MemoryMargin = v }),
        WorkerNodeKey<TimeSpan>("time_margin", P.NonNegativeSeconds, (w, v) => w with { TimeMargin = v }),
        WorkerNodeKey<bool>("forward_notify_signals", P.Boolean, (w, v) => w with { ForwardNotifySignals = v }),
        WorkerNodeKey<MemoryMetric>("memory_metric", P.MemoryMetric, (w, v) => w with { MemoryMetric = v }),
        WorkerNodeKey<TimeSpan>("sample_interval", P.PositiveSeconds, (w, v) => w with { SampleInterval = v }),
        WorkerNodeKey<LostServerPolicy>("on_lost_server", P.LostServerPolicy, (w, v) => w with { OnLostServer = v }),
        WorkerNodeKey<string>("spool_dir", P.AbsolutePath, (w, v) => w with { SpoolDir = v }),
        WorkerNodeKey<string>("metrics_dir", P.AbsolutePath, (w, v) => w with { MetricsDir = v }),
        WorkerNodeKey<Logging.LogLevel>("log_level", P.LogLevel, (w, v) => w with { LogLevel = v }),
        WorkerNodeKey<Logging.LogFormat>("log_format", P.LogFormat, (w, v) => w with { LogFormat = v }),
        WorkerNodeKey<Logging.LogDestination>("log_output", P.LogDestination, (w, v) => w with { LogOutput = v }),
    ];

    /// <summary>Every key, in the order they are applied (and so the order errors are found in).</summary>
    /// <remarks>A span, not a list: iterating an array through IReadOnlyList costs JIT work on every start.</remarks>
    public static ReadOnlySpan<ConfigKey> All => Keys;

    /// <summary>Whether a YAML top-level section is one of ours; others (db, logging, ...) are ignored whole.</summary>
    public static bool IsSection(string name) => name is "http" or "heartbeat" or "worker_node";

    /// <summary>The index of section.name in <see cref="All"/>, or -1. A linear scan: there are 23 keys.</summary>
    public static int IndexOf(string section, string name)
    {
        for (var i = 0; i < Keys.Length; i++)
        {
            if (Keys[i].Name == name && Keys[i].Section == section)
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>The index of a declared key in <see cref="All"/>.</summary>
    public static int IndexOf(ConfigKey key)
    {
        for (var i = 0; i < Keys.Length; i++)
        {
            if (ReferenceEquals(Keys[i], key))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>The index of a full name like http.request_timeout in <see cref="All"/>, or -1.</summary>
    public static int IndexOf(string fullName)
    {
        for (var i = 0; i < Keys.Length; i++)
        {
            if (Keys[i].FullName == fullName)
            {
                return i;
            }
        }

        return -1;
    }

    private static ConfigKey WorkerNodeKey<T>(string name, ValueParser<T> parse, Func<WorkerNodeSettings, T, WorkerNodeSettings> apply) =>
        ConfigKey.Of<T>("worker_node", name, parse, (s, v) => s with { WorkerNode = apply(s.WorkerNode, v) });
}
