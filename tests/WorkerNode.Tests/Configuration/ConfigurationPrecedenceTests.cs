using WorkerNode.Configuration;
using WorkerNode.Logging;
using static WorkerNode.Tests.Configuration.ConfigTest;

namespace WorkerNode.Tests.Configuration;

public sealed class ConfigurationPrecedenceTests : IDisposable
{
    private readonly TempDirectory dir = new();

    public void Dispose() => dir.Dispose();

    [Fact]
    public void Defaults_when_nothing_is_given()
    {
        var settings = Load();
        Assert.Equal(new WorkerSettings(), settings);
        Assert.Null(settings.Http.ServiceUrl);
        Assert.Equal("/api/v3", settings.Http.RoutePrefix);
        Assert.Equal(TimeSpan.FromSeconds(20), settings.Http.RequestTimeout);
        Assert.Equal(279, settings.Heartbeat.NextReportIncrementSeconds, precision: 6);
    }

    [Fact]
    public void Each_layer_overrides_the_one_below_for_the_same_key()
    {
        var file = dir.Write("jobmon.yaml", "http:\n  request_timeout: 30\nworker_node:\n  log_level: warning\n  memory_limit: 1G\n");
        var env = Env(
            ("JOBMON__HTTP__REQUEST_TIMEOUT", "40"),
            ("JOBMON__WORKER_NODE__LOG_LEVEL", "error"),
            ("JOBMON__WORKER_NODE__MEMORY_LIMIT", "2G"));
        (string, string, string)[] flags =
        [
            ("http.request_timeout", "50", "--request-timeout"),
            ("worker_node.log_level", "debug", "--log-level"),
            ("worker_node.memory_limit", "3G", "--memory-limit"),
        ];

        var fileOnly = Load(file);
        Assert.Equal(TimeSpan.FromSeconds(30), fileOnly.Http.RequestTimeout);
        Assert.Equal(LogLevel.Warning, fileOnly.WorkerNode.LogLevel);
        Assert.Equal(1L << 30, fileOnly.WorkerNode.MemoryLimitBytes);

        var fileAndEnv = Load(file, env);
        Assert.Equal(TimeSpan.FromSeconds(40), fileAndEnv.Http.RequestTimeout);
        Assert.Equal(LogLevel.Error, fileAndEnv.WorkerNode.LogLevel);
        Assert.Equal(2L << 30, fileAndEnv.WorkerNode.MemoryLimitBytes);

        var all = Load(file, env, flags);
        Assert.Equal(TimeSpan.FromSeconds(50), all.Http.RequestTimeout);
        Assert.Equal(LogLevel.Debug, all.WorkerNode.LogLevel);
        Assert.Equal(3L << 30, all.WorkerNode.MemoryLimitBytes);

        // A flag wins over the file without any variable in between too.
        Assert.Equal(TimeSpan.FromSeconds(50), Load(file, flags: flags).Http.RequestTimeout);
    }

    [Fact]
    public void Layers_only_touch_the_keys_they_set()
    {
        var file = dir.Write("jobmon.yaml", "http:\n  retries_attempts: 3\n");
        var settings = Load(file, Env(("JOBMON__HTTP__RETRIES_TIMEOUT", "60")), ("heartbeat.report_by_buffer", "2", "--report-by-buffer"));

        Assert.Equal(3, settings.Http.RetriesAttempts);
        Assert.Equal(TimeSpan.FromSeconds(60), settings.Http.RetriesTimeout);
        Assert.Equal(2, settings.Heartbeat.ReportByBuffer);
        Assert.Equal(TimeSpan.FromSeconds(20), settings.Http.RequestTimeout);
    }

    [Fact]
    public void The_last_flag_for_a_key_wins()
    {
        var settings = Load(flags: [("http.retries_attempts", "2", "--retries-attempts"), ("http.retries_attempts", "5", "--retries-attempts")]);
        Assert.Equal(5, settings.Http.RetriesAttempts);
    }

    [Fact]
    public void An_empty_value_counts_as_not_given()
    {
        var file = dir.Write("jobmon.yaml", "http:\n  request_timeout: 30\n");
        var settings = Load(file, Env(("JOBMON__HTTP__REQUEST_TIMEOUT", "")), ("http.retries_attempts", " ", "--retries-attempts"));

        Assert.Equal(TimeSpan.FromSeconds(30), settings.Http.RequestTimeout);
        Assert.Equal(10, settings.Http.RetriesAttempts);
    }

    [Fact]
    public void Config_flag_wins_over_JOBMON__CONFIG_FILE()
    {
        var flagFile = dir.Write("flag.yaml", "http:\n  route_prefix: /from-flag\n");
        var envFile = dir.Write("env.yaml", "http:\n  route_prefix: /from-env\n");

        Assert.Equal("/from-flag", Load(flagFile, Env(("JOBMON__CONFIG_FILE", envFile))).Http.RoutePrefix);
        Assert.Equal("/from-env", Load(null, Env(("JOBMON__CONFIG_FILE", envFile))).Http.RoutePrefix);
    }

    [Fact]
    public void JOBMON__CONFIG_FILE_is_expanded()
    {
        dir.Write("jobmon.yaml", "http:\n  route_prefix: /expanded\n");
        var env = Env(("JOBMON__CONFIG_FILE", "${CONF_DIR}/jobmon.yaml"), ("CONF_DIR", dir.Path));
        Assert.Equal("/expanded", Load(null, env).Http.RoutePrefix);
    }

    [Fact]
    public void File_and_variable_values_are_expanded_but_flags_are_not()
    {
        var file = dir.Write("jobmon.yaml", "http:\n  service_url: http://${JOBMON_HOST}:$JOBMON_PORT\nworker_node:\n  spool_dir: /data/$UNSET_VARIABLE/spool\n");
        var env = Env(
            ("JOBMON_HOST", "jobmon.example"),
            ("JOBMON_PORT", "8070"),
            ("JOBMON__HTTP__ROUTE_PREFIX", "/api/$VERSION"),
            ("VERSION", "v3"));

        var fromFile = Load(file, env);
        Assert.Equal(new Uri("http://jobmon.example:8070"), fromFile.Http.ServiceUrl);
        Assert.Equal("/data/$UNSET_VARIABLE/spool", fromFile.WorkerNode.SpoolDir);
        Assert.Equal("/api/v3", fromFile.Http.RoutePrefix);

        var fromFlag = Load(file, env, ("worker_node.spool_dir", "/data/$JOBMON_HOST/spool", "--spool-dir"));
        Assert.Equal("/data/$JOBMON_HOST/spool", fromFlag.WorkerNode.SpoolDir);
    }

    /// <summary>Each key with a valid value in one of its accepted spellings, and the property that must result.</summary>
    public static TheoryData<string, string, object> KeyValues => new()
    {
        { "http.service_url", "https://jobmon.example:8070", new Uri("https://jobmon.example:8070") },
        { "http.route_prefix", "/api/v4", "/api/v4" },
        { "http.request_timeout", "2.5", TimeSpan.FromSeconds(2.5) },
        { "http.retries_attempts", "4", 4 },
        { "http.retries_timeout", "6m", TimeSpan.FromMinutes(6) },
        { "http.auth_token", "t0k3n", "t0k3n" },
        { "heartbeat.task_instance_interval", "30", TimeSpan.FromSeconds(30) },
        { "heartbeat.report_by_buffer", "2.5", 2.5 },
        { "worker_node.command_interrupt_timeout", "0", TimeSpan.Zero },
        { "worker_node.time_limit", "1-02:00:00", TimeSpan.FromHours(26) },
        { "worker_node.memory_limit", "1.5G", 3L << 29 },
        { "worker_node.limits_from_scheduler", "off", false },
        { "worker_node.memory_margin", "10%", 0.1 },
        { "worker_node.time_margin", "2m", TimeSpan.FromMinutes(2) },
        { "worker_node.forward_notify_signals", "true", true },
        { "worker_node.memory_metric", "PSS", MemoryMetric.Pss },
        { "worker_node.sample_interval", "250ms", TimeSpan.FromMilliseconds(250) },
        { "worker_node.on_lost_server", "continue", LostServerPolicy.Continue },
        { "worker_node.spool_dir", "/var/spool/wn", "/var/spool/wn" },
        { "worker_node.metrics_dir", "/shared/metrics", "/shared/metrics" },
        { "worker_node.log_level", "Warning", LogLevel.Warning },
        { "worker_node.log_format", "json", LogFormat.Json },
        { "worker_node.log_output", "stderr", LogDestination.Stderr },
    };

    private static readonly Dictionary<string, Func<WorkerSettings, object?>> Property = new()
    {
        ["http.service_url"] = s => s.Http.ServiceUrl,
        ["http.route_prefix"] = s => s.Http.RoutePrefix,
        ["http.request_timeout"] = s => s.Http.RequestTimeout,
        ["http.retries_attempts"] = s => s.Http.RetriesAttempts,
        ["http.retries_timeout"] = s => s.Http.RetriesTimeout,
        ["http.auth_token"] = s => s.Http.AuthToken,
        ["heartbeat.task_instance_interval"] = s => s.Heartbeat.Interval,
        ["heartbeat.report_by_buffer"] = s => s.Heartbeat.ReportByBuffer,
        ["worker_node.command_interrupt_timeout"] = s => s.WorkerNode.CommandInterruptTimeout,
        ["worker_node.time_limit"] = s => s.WorkerNode.TimeLimit,
        ["worker_node.memory_limit"] = s => s.WorkerNode.MemoryLimitBytes,
        ["worker_node.limits_from_scheduler"] = s => s.WorkerNode.LimitsFromScheduler,
        ["worker_node.memory_margin"] = s => s.WorkerNode.MemoryMargin,
        ["worker_node.time_margin"] = s => s.WorkerNode.TimeMargin,
        ["worker_node.forward_notify_signals"] = s => s.WorkerNode.ForwardNotifySignals,
        ["worker_node.memory_metric"] = s => s.WorkerNode.MemoryMetric,
        ["worker_node.sample_interval"] = s => s.WorkerNode.SampleInterval,
        ["worker_node.on_lost_server"] = s => s.WorkerNode.OnLostServer,
        ["worker_node.spool_dir"] = s => s.WorkerNode.SpoolDir,
        ["worker_node.metrics_dir"] = s => s.WorkerNode.MetricsDir,
        ["worker_node.log_level"] = s => s.WorkerNode.LogLevel,
        ["worker_node.log_format"] = s => s.WorkerNode.LogFormat,
        ["worker_node.log_output"] = s => s.WorkerNode.LogOutput,
    };

    [Theory]
    [MemberData(nameof(KeyValues))]
    public void Every_key_can_be_set_by_flag_variable_and_file(string key, string value, object expected)
    {
        var read = Property[key];
        Assert.NotEqual(expected, read(new WorkerSettings()));

        Assert.Equal(expected, read(Load(flags: (key, value, "--flag"))));

        var variable = ConfigKeys.All[ConfigKeys.IndexOf(key)].EnvironmentVariable;
        Assert.Equal(expected, read(Load(null, Env((variable, value)))));

        var parts = key.Split('.');
        Assert.Equal(expected, read(Load(dir.Write("jobmon.yaml", $"{parts[0]}:\n  {parts[1]}: \"{value}\"\n"))));
    }

    [Fact]
    public void The_registry_declares_the_documented_keys_with_their_variable_names()
    {
        string[] documented =
        [
            "http.service_url", "http.route_prefix", "http.request_timeout", "http.retries_attempts", "http.retries_timeout",
            "http.auth_token", "http.auth_token_file", "http.ca_bundle", "heartbeat.task_instance_interval",
            "heartbeat.report_by_buffer", "worker_node.command_interrupt_timeout", "worker_node.time_limit",
            "worker_node.memory_limit", "worker_node.limits_from_scheduler", "worker_node.memory_margin",
            "worker_node.time_margin", "worker_node.forward_notify_signals", "worker_node.memory_metric", "worker_node.sample_interval",
            "worker_node.on_lost_server", "worker_node.spool_dir", "worker_node.metrics_dir", "worker_node.log_level", "worker_node.log_format", "worker_node.log_output",
        ];

        Assert.Equal(documented, ConfigKeys.All.ToArray().Select(k => k.FullName));

        // Every key but the two file keys (ConfiguredFilesTests) is covered by the table above.
        Assert.Equal(documented.Except(["http.auth_token_file", "http.ca_bundle"]).Order(), Property.Keys.Order());
        Assert.Equal(Property.Keys.Order(), KeyValues.Select(row => (string)row[0]).Order());
        Assert.Equal("JOBMON__HTTP__REQUEST_TIMEOUT", ConfigKeys.All[ConfigKeys.IndexOf("http.request_timeout")].EnvironmentVariable);
        Assert.Equal("JOBMON__WORKER_NODE__ON_LOST_SERVER", ConfigKeys.All[ConfigKeys.IndexOf("worker_node.on_lost_server")].EnvironmentVariable);
        Assert.Equal("JOBMON__HEARTBEAT__TASK_INSTANCE_INTERVAL", ConfigKeys.All[ConfigKeys.IndexOf("heartbeat.task_instance_interval")].EnvironmentVariable);
    }

    [Fact]
    public void A_flag_for_an_unknown_key_is_a_programming_error()
    {
        var e = Assert.Throws<ArgumentException>(() => Load(flags: ("http.nope", "1", "--nope")));
        Assert.Contains("--nope", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_service_url_has_a_one_line_error()
    {
        // Loading does not demand it (standalone mode has no server); server mode reports this error.
        Assert.Null(Load().Http.ServiceUrl);
        var e = ConfigurationLoader.MissingServiceUrl();
        Assert.Equal("http.service_url is not set: give --service-url, JOBMON__HTTP__SERVICE_URL or http.service_url in the config file", e.Message);
        Assert.Equal(ConfigurationErrorKind.Environment, e.Kind);

        Assert.Equal(new Uri("http://h:1"), Load(flags: ("http.service_url", "http://h:1", "--service-url")).Http.ServiceUrl);
    }
}
