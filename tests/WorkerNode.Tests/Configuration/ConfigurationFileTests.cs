using WorkerNode.Configuration;
using static WorkerNode.Tests.Configuration.ConfigTest;

namespace WorkerNode.Tests.Configuration;

public sealed class ConfigurationFileTests : IDisposable
{
    private readonly TempDirectory dir = new();

    public void Dispose() => dir.Dispose();

    [Fact]
    public void Other_sections_and_unknown_keys_are_ignored()
    {
        var file = dir.Write("jobmon.yaml", """
            db:
              sqlalchemy_database_uri: mysql://x
            logging: [a, b]
            telemetry: 5
            http:
              service_url: http://jobmon.example:8070
              use_logging: [not, ours]
              extra:
                nested: map
            distributor:
              poll_interval: 10
            worker_node:
              log_format: json
            """);

        var settings = Load(file);

        Assert.Equal(new Uri("http://jobmon.example:8070"), settings.Http.ServiceUrl);
        Assert.Equal(WorkerNode.Logging.LogFormat.Json, settings.WorkerNode.LogFormat);
    }

    [Theory]
    [InlineData("")]
    [InlineData("~\n")]
    [InlineData("# only a comment\n")]
    [InlineData("http:\n")]
    [InlineData("http: ~\nheartbeat:\n")]
    [InlineData("http:\n  request_timeout: ~\n  retries_attempts: null\n  retries_timeout:\n")]
    public void Empty_files_sections_and_null_values_leave_defaults(string yaml)
    {
        Assert.Equal(new WorkerSettings(), Load(dir.Write("jobmon.yaml", yaml)));
    }

    [Fact]
    public void A_quoted_tilde_is_a_string_not_null()
    {
        var e = Fails(dir.Write("jobmon.yaml", "http:\n  route_prefix: '~'\n"));
        Assert.StartsWith("http.route_prefix: '~' must start with / (from ", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Quoted_and_typed_scalars_are_read_as_strings()
    {
        var file = dir.Write("jobmon.yaml", "http:\n  request_timeout: \"45\"\n  retries_attempts: 3\nworker_node:\n  limits_from_scheduler: true\n  memory_margin: 0.1\n");
        var settings = Load(file);

        Assert.Equal(TimeSpan.FromSeconds(45), settings.Http.RequestTimeout);
        Assert.Equal(3, settings.Http.RetriesAttempts);
        Assert.True(settings.WorkerNode.LimitsFromScheduler);
        Assert.Equal(0.1, settings.WorkerNode.MemoryMargin);
    }

    [Fact]
    public void Malformed_yaml_is_an_environment_error_with_position()
    {
        var file = dir.Write("jobmon.yaml", "http:\n  request_timeout: 20\n  request_timeout: 30\n");
        var e = Fails(file);

        Assert.Equal($"config file {file}: not valid YAML at line 3, column 3: duplicate key request_timeout", e.Message);
        Assert.Equal(ConfigurationErrorKind.Environment, e.Kind);
        Assert.False(e.IsUsageError);
    }

    [Fact]
    public void Unterminated_yaml_names_line_and_column()
    {
        var file = dir.Write("jobmon.yaml", "http:\n  service_url: [http://x,\n");
        var e = Fails(file);

        Assert.StartsWith($"config file {file}: not valid YAML at line ", e.Message, StringComparison.Ordinal);
        Assert.Contains(", column ", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', e.Message);
        Assert.Equal(ConfigurationErrorKind.Environment, e.Kind);
    }

    [Theory]
    [InlineData("- http\n- worker_node\n", "the top level at line 1 is not a mapping of sections like http: and worker_node:")]
    [InlineData("just a string\n", "the top level at line 1 is not a mapping of sections like http: and worker_node:")]
    [InlineData("http: 5\n", "section http at line 1 is not a mapping of keys")]
    [InlineData("worker_node:\n  - a\n", "section worker_node at line 2 is not a mapping of keys")]
    [InlineData("http: {}\n---\nhttp: {}\n", "holds more than one YAML document (a second '---'); keep one")]
    public void Files_of_the_wrong_shape_are_refused(string yaml, string reason)
    {
        var file = dir.Write("jobmon.yaml", yaml);
        var e = Fails(file);
        Assert.Equal($"config file {file}: {reason}", e.Message);
        Assert.Equal(ConfigurationErrorKind.Environment, e.Kind);
    }

    [Theory]
    [InlineData("http:\n  request_timeout: [1, 2]\n", "http.request_timeout: expects a single value, not a list")]
    [InlineData("worker_node:\n  time_limit:\n    hours: 2\n", "worker_node.time_limit: expects a single value, not a mapping")]
    [InlineData("http:\n  auth_token: [s3cr3t]\n", "http.auth_token: expects a single value, not a list")]
    public void A_list_or_mapping_for_a_known_key_is_an_error(string yaml, string expected)
    {
        var file = dir.Write("jobmon.yaml", yaml);
        var e = Fails(file);
        Assert.Equal($"{expected} (from {file})", e.Message);
        Assert.Equal(ConfigurationErrorKind.Environment, e.Kind);
    }

    [Fact]
    public void A_list_overridden_by_a_higher_layer_is_not_used()
    {
        var file = dir.Write("jobmon.yaml", "http:\n  request_timeout: [1, 2]\n");
        var settings = Load(file, Env(("JOBMON__HTTP__REQUEST_TIMEOUT", "7")));
        Assert.Equal(TimeSpan.FromSeconds(7), settings.Http.RequestTimeout);
    }

    [Fact]
    public void A_missing_file_from_the_variable_says_so()
    {
        var missing = Path.Combine(dir.Path, "missing.yaml");
        var e = Fails(null, Env(("JOBMON__CONFIG_FILE", missing)));

        Assert.Equal($"config file {missing} (from JOBMON__CONFIG_FILE): cannot read: No such file or directory", e.Message);
        Assert.Equal(ConfigurationErrorKind.Environment, e.Kind);
    }

    [Fact]
    public void A_missing_file_from_the_flag_says_so()
    {
        var missing = Path.Combine(dir.Path, "nope", "missing.yaml");
        var e = Fails(missing);

        Assert.Equal($"config file {missing} (from --config): cannot read: No such file or directory", e.Message);
        Assert.Equal(ConfigurationErrorKind.Environment, e.Kind);
    }

    [Fact]
    public void A_directory_is_not_a_config_file()
    {
        var e = Fails(dir.Path);
        Assert.Equal($"config file {dir.Path} (from --config): cannot read: Is a directory", e.Message);
    }

    [Fact]
    public void An_empty_config_flag_is_a_usage_error()
    {
        var e = Fails("");
        Assert.Equal(ConfigurationErrorKind.Usage, e.Kind);
        Assert.True(e.IsUsageError);
    }

    [Fact]
    public void An_empty_JOBMON__CONFIG_FILE_means_no_file()
    {
        Assert.Equal(new WorkerSettings(), Load(null, Env(("JOBMON__CONFIG_FILE", ""))));
    }
}
