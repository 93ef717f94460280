using WorkerNode.Configuration;

namespace WorkerNode.Tests.Configuration;

/// <summary>Only the settings a mode uses are validated; an unknown key of our own section is a warning naming the key meant.</summary>
public sealed class ConfigurationModeAndWarningTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("wn-config-warn-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void A_bad_http_variable_does_not_stop_a_mode_without_a_server()
    {
        var environment = ConfigTest.Env(("JOBMON__HTTP__REQUEST_TIMEOUT", "abc"), ("JOBMON__HEARTBEAT__REPORT_BY_BUFFER", "0"), ("JOBMON__WORKER_NODE__LOG_LEVEL", "debug"));

        var settings = ConfigurationLoader.Load(new ConfigurationInput(null, environment, []) { UsesServer = false });

        Assert.Equal(WorkerNode.Logging.LogLevel.Debug, settings.WorkerNode.LogLevel);
        Assert.Equal(new HttpSettings().RequestTimeout, settings.Http.RequestTimeout);
    }

    [Fact]
    public void A_bad_http_variable_still_stops_a_mode_with_a_server()
    {
        var e = ConfigTest.Fails(environment: ConfigTest.Env(("JOBMON__HTTP__REQUEST_TIMEOUT", "abc")));

        Assert.Contains("JOBMON__HTTP__REQUEST_TIMEOUT", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_bad_setting_the_mode_uses_still_stops_it()
    {
        var environment = ConfigTest.Env(("JOBMON__WORKER_NODE__MEMORY_LIMIT", "lots"));

        Assert.Throws<ConfigurationException>(() => ConfigurationLoader.Load(new ConfigurationInput(null, environment, []) { UsesServer = false }));
    }

    [Fact]
    public void An_unknown_worker_node_key_is_a_warning_naming_the_key_meant()
    {
        var file = Write("worker_node:\n  memory_limt: 4G\n  log_level: debug\nhttp:\n  use_logfmt: true\n");

        var settings = ConfigTest.Load(file);

        var warning = Assert.Single(settings.Warnings);
        Assert.Equal($"config file {file}: unknown key worker_node.memory_limt is ignored; did you mean worker_node.memory_limit?", warning);
        Assert.Equal(WorkerNode.Logging.LogLevel.Debug, settings.WorkerNode.LogLevel);
    }

    [Fact]
    public void An_unknown_key_far_from_any_is_named_alone()
    {
        var file = Write("worker_node:\n  favourite_colour: blue\n");

        Assert.Equal($"config file {file}: unknown key worker_node.favourite_colour is ignored", Assert.Single(ConfigTest.Load(file).Warnings));
    }

    [Fact]
    public void Known_keys_give_no_warning()
    {
        Assert.Empty(ConfigTest.Load(Write("worker_node:\n  memory_limit: 4G\nhttp:\n  service_url: http://x:1\n")).Warnings);
    }

    [Fact]
    public void A_merge_key_brings_in_the_service_url()
    {
        var file = Write("defaults: &defaults\n  service_url: http://jobmon.example:8070\nhttp:\n  <<: *defaults\n  request_timeout: 7\n");

        var settings = ConfigTest.Load(file);

        Assert.Equal(new Uri("http://jobmon.example:8070"), settings.Http.ServiceUrl);
        Assert.Equal(TimeSpan.FromSeconds(7), settings.Http.RequestTimeout);
    }

    [Theory]
    [InlineData("memory_limt", "memory_limit")]
    [InlineData("log_levle", "log_level")]
    [InlineData("spooldir", "spool_dir")]
    [InlineData("TIME_LIMIT", "time_limit")]
    public void The_closest_key_is_the_one_a_typo_meant(string typo, string meant) =>
        Assert.Equal(meant, KeyDistance.Closest(typo, ["memory_limit", "log_level", "spool_dir", "time_limit", "time_margin", "log_format"]));

    private string Write(string yaml)
    {
        var path = Path.Combine(_directory, "jobmon.yaml");
        File.WriteAllText(path, yaml);
        return path;
    }
}
