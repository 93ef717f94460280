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
        var file = dir.Write("jobmon.yaml", "http:\n  service_url: http://${JOBMON_HOST}:$JOBMON_PORT\nworker_node:\n  spool_dir: $UNSET_VARIABLE/spool\n");
        var env = Env(
            ("JOBMON_HOST", "jobmon.example"),
            ("JOBMON_PORT", "8070"),
            ("JOBMON__HTTP__ROUTE_PREFIX", "/api/$VERSION"),
            ("VERSION", "v3"));

        var fromFile = Load(file, env);
        Assert.Equal(new Uri("http://jobmon.example:8070"), fromFile.Http.ServiceUrl);
        Assert.Equal("$UNSET_VARIABLE/spool", fromFile.WorkerNode.SpoolDir);
        Assert.Equal("/api/v3", fromFile.Http.RoutePrefix);

        var fromFlag = Load(file, env, ("worker_node.spool_dir", "$JOBMON_HOST/spool", "--spool-dir"));
        Assert.Equal("$JOBMON_HOST/spool", fromFlag.WorkerNode.SpoolDir);
    }

    [Fact]
    public void Every_key_can_be_set_by_flag()
    {
        (string, string, string)[] flags =
        [
            ("http.service_url", "https://jobmon.example:8070", "--service-url"),
            ("http.route_prefix", "/api/v4", "--route-prefix"),
            ("http.request_timeout", "2.5", "--request-timeout"),
            ("http.retries_attempts", "4", "--retries-attempts"),
            ("http.retries_timeout", "5m", "--retries-timeout"),
            ("http.auth_token", "t0k3n", "--auth-token"),
            ("heartbeat.task_instance_interval", "30", "--heartbeat-interval"),
            ("heartbeat.report_by_buffer", "2.5", "--report-by-buffer"),
            ("worker_node.command_interrupt_timeout", "0", "--interrupt-timeout"),
            ("worker_node.time_limit", "1-02:00:00", "--time-limit"),
            ("worker_node.memory_limit", "1.5G", "--memory-limit"),
            ("worker_node.limits_from_scheduler", "off", "--limits-from-scheduler"),
            ("worker_node.memory_margin", "10%", "--memory-margin"),
            ("worker_node.time_margin", "2m", "--time-margin"),
            ("worker_node.memory_metric", "PSS", "--memory-metric"),
            ("worker_node.sample_interval", "0.5", "--sample-interval"),
            ("worker_node.on_lost_server", "continue", "--on-lost-server"),
            ("worker_node.spool_dir", "/var/spool/wn", "--spool-dir"),
            ("worker_node.log_level", "Warning", "--log-level"),
            ("worker_node.log_format", "json", "--log-format"),
        ];

        var s = Load(flags: flags);

        Assert.Equal(new Uri("https://jobmon.example:8070"), s.Http.ServiceUrl);
        Assert.Equal("/api/v4", s.Http.RoutePrefix);
        Assert.Equal(TimeSpan.FromSeconds(2.5), s.Http.RequestTimeout);
        Assert.Equal(4, s.Http.RetriesAttempts);
        Assert.Equal(TimeSpan.FromMinutes(5), s.Http.RetriesTimeout);
        Assert.Equal("t0k3n", s.Http.AuthToken);
        Assert.Equal(TimeSpan.FromSeconds(30), s.Heartbeat.Interval);
        Assert.Equal(2.5, s.Heartbeat.ReportByBuffer);
        Assert.Equal(TimeSpan.Zero, s.WorkerNode.CommandInterruptTimeout);
        Assert.Equal(TimeSpan.FromHours(26), s.WorkerNode.TimeLimit);
        Assert.Equal(3L << 29, s.WorkerNode.MemoryLimitBytes);
        Assert.False(s.WorkerNode.LimitsFromScheduler);
        Assert.Equal(0.1, s.WorkerNode.MemoryMargin, precision: 10);
        Assert.Equal(TimeSpan.FromMinutes(2), s.WorkerNode.TimeMargin);
        Assert.Equal(MemoryMetric.Pss, s.WorkerNode.MemoryMetric);
        Assert.Equal(TimeSpan.FromSeconds(0.5), s.WorkerNode.SampleInterval);
        Assert.Equal(LostServerPolicy.Continue, s.WorkerNode.OnLostServer);
        Assert.Equal("/var/spool/wn", s.WorkerNode.SpoolDir);
        Assert.Equal(LogLevel.Warning, s.WorkerNode.LogLevel);
        Assert.Equal(LogFormat.Json, s.WorkerNode.LogFormat);
    }

    [Fact]
    public void Every_key_can_be_set_by_its_JOBMON_variable()
    {
        var env = Env(
            ("JOBMON__HTTP__SERVICE_URL", "http://jobmon.example"),
            ("JOBMON__HTTP__ROUTE_PREFIX", "/x"),
            ("JOBMON__HTTP__REQUEST_TIMEOUT", "21"),
            ("JOBMON__HTTP__RETRIES_ATTEMPTS", "11"),
            ("JOBMON__HTTP__RETRIES_TIMEOUT", "301"),
            ("JOBMON__HTTP__AUTH_TOKEN", "abc"),
            ("JOBMON__HEARTBEAT__TASK_INSTANCE_INTERVAL", "91"),
            ("JOBMON__HEARTBEAT__REPORT_BY_BUFFER", "3.2"),
            ("JOBMON__WORKER_NODE__COMMAND_INTERRUPT_TIMEOUT", "11"),
            ("JOBMON__WORKER_NODE__TIME_LIMIT", "2h"),
            ("JOBMON__WORKER_NODE__MEMORY_LIMIT", "512M"),
            ("JOBMON__WORKER_NODE__LIMITS_FROM_SCHEDULER", "yes"),
            ("JOBMON__WORKER_NODE__MEMORY_MARGIN", "0.2"),
            ("JOBMON__WORKER_NODE__TIME_MARGIN", "0"),
            ("JOBMON__WORKER_NODE__MEMORY_METRIC", "pss"),
            ("JOBMON__WORKER_NODE__SAMPLE_INTERVAL", "250ms"),
            ("JOBMON__WORKER_NODE__ON_LOST_SERVER", "stop"),
            ("JOBMON__WORKER_NODE__SPOOL_DIR", "/spool"),
            ("JOBMON__WORKER_NODE__LOG_LEVEL", "debug"),
            ("JOBMON__WORKER_NODE__LOG_FORMAT", "JSON"));

        var s = Load(null, env);

        Assert.Equal(new Uri("http://jobmon.example"), s.Http.ServiceUrl);
        Assert.Equal("/x", s.Http.RoutePrefix);
        Assert.Equal(TimeSpan.FromSeconds(21), s.Http.RequestTimeout);
        Assert.Equal(11, s.Http.RetriesAttempts);
        Assert.Equal(TimeSpan.FromSeconds(301), s.Http.RetriesTimeout);
        Assert.Equal("abc", s.Http.AuthToken);
        Assert.Equal(TimeSpan.FromSeconds(91), s.Heartbeat.Interval);
        Assert.Equal(3.2, s.Heartbeat.ReportByBuffer);
        Assert.Equal(TimeSpan.FromSeconds(11), s.WorkerNode.CommandInterruptTimeout);
        Assert.Equal(TimeSpan.FromHours(2), s.WorkerNode.TimeLimit);
        Assert.Equal(512L << 20, s.WorkerNode.MemoryLimitBytes);
        Assert.True(s.WorkerNode.LimitsFromScheduler);
        Assert.Equal(0.2, s.WorkerNode.MemoryMargin);
        Assert.Equal(TimeSpan.Zero, s.WorkerNode.TimeMargin);
        Assert.Equal(MemoryMetric.Pss, s.WorkerNode.MemoryMetric);
        Assert.Equal(TimeSpan.FromMilliseconds(250), s.WorkerNode.SampleInterval);
        Assert.Equal(LostServerPolicy.Stop, s.WorkerNode.OnLostServer);
        Assert.Equal("/spool", s.WorkerNode.SpoolDir);
        Assert.Equal(LogLevel.Debug, s.WorkerNode.LogLevel);
        Assert.Equal(LogFormat.Json, s.WorkerNode.LogFormat);
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
            "worker_node.time_margin", "worker_node.memory_metric", "worker_node.sample_interval",
            "worker_node.on_lost_server", "worker_node.spool_dir", "worker_node.log_level", "worker_node.log_format",
        ];

        Assert.Equal(documented, ConfigKeys.All.ToArray().Select(k => k.FullName));
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
        var e = Assert.Throws<ConfigurationException>(() => ConfigurationLoader.RequireServiceUrl(Load().Http));
        Assert.Equal("http.service_url is not set: give --service-url, JOBMON__HTTP__SERVICE_URL or http.service_url in the config file", e.Message);
        Assert.Equal(ConfigurationErrorKind.Environment, e.Kind);

        var url = ConfigurationLoader.RequireServiceUrl(Load(flags: ("http.service_url", "http://h:1", "--service-url")).Http);
        Assert.Equal(new Uri("http://h:1"), url);
    }
}
