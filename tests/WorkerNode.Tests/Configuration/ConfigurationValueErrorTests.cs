using WorkerNode.Configuration;
using static WorkerNode.Tests.Configuration.ConfigTest;

namespace WorkerNode.Tests.Configuration;

public sealed class ConfigurationValueErrorTests : IDisposable
{
    private readonly TempDirectory dir = new();

    public void Dispose() => dir.Dispose();

    [Fact]
    public void A_bad_variable_is_an_environment_error_naming_the_variable()
    {
        var e = Fails(null, Env(("JOBMON__HTTP__REQUEST_TIMEOUT", "abc")));

        Assert.Equal("http.request_timeout: 'abc' is not a number of seconds (from environment variable JOBMON__HTTP__REQUEST_TIMEOUT)", e.Message);
        Assert.Equal(ConfigurationErrorKind.Environment, e.Kind);
    }

    [Fact]
    public void A_bad_file_value_is_an_environment_error_naming_the_file()
    {
        var file = dir.Write("jobmon.yaml", "heartbeat:\n  task_instance_interval: -5\n");
        var e = Fails(file);

        Assert.Equal($"heartbeat.task_instance_interval: '-5' must be greater than 0 (from {file})", e.Message);
        Assert.Equal(ConfigurationErrorKind.Environment, e.Kind);
    }

    [Fact]
    public void A_bad_flag_is_a_usage_error_naming_the_flag()
    {
        var e = Fails(flags: ("http.request_timeout", "0", "--request-timeout"));

        Assert.Equal("http.request_timeout: '0' must be greater than 0 (from --request-timeout)", e.Message);
        Assert.Equal(ConfigurationErrorKind.Usage, e.Kind);
        Assert.True(e.IsUsageError);
    }

    [Fact]
    public void A_good_flag_does_not_excuse_a_bad_variable_for_another_key()
    {
        var e = Fails(null, Env(("JOBMON__HTTP__RETRIES_ATTEMPTS", "many")), ("http.request_timeout", "5", "--request-timeout"));
        Assert.Equal("http.retries_attempts: 'many' is not a whole number (from environment variable JOBMON__HTTP__RETRIES_ATTEMPTS)", e.Message);
    }

    [Fact]
    public void A_flag_overriding_a_bad_variable_hides_it()
    {
        var settings = Load(null, Env(("JOBMON__HTTP__REQUEST_TIMEOUT", "abc")), ("http.request_timeout", "5", "--request-timeout"));
        Assert.Equal(TimeSpan.FromSeconds(5), settings.Http.RequestTimeout);
    }

    [Fact]
    public void An_expanded_value_shows_what_it_was_written_as()
    {
        var e = Fails(null, Env(("JOBMON__HTTP__REQUEST_TIMEOUT", "${TIMEOUT}"), ("TIMEOUT", "soon")));
        Assert.Equal(
            "http.request_timeout: 'soon' (expanded from '${TIMEOUT}') is not a number of seconds (from environment variable JOBMON__HTTP__REQUEST_TIMEOUT)",
            e.Message);
    }

    [Fact]
    public void Control_characters_are_escaped_so_the_message_stays_one_line()
    {
        var e = Fails(flags: ("worker_node.log_level", "info\nERROR: fake", "--log-level"));
        Assert.Equal("worker_node.log_level: 'info\\nERROR: fake' must be debug, info, warning or error (from --log-level)", e.Message);
    }

    [Theory]
    [InlineData("ftp://user:s3cret@jobmon.example:8070", "'ftp://***@jobmon.example:8070'")]
    [InlineData("https://user:s3cret@", "'https://***@'")]
    [InlineData("user:s3cret@jobmon.example:8070", "'***@jobmon.example:8070'")]
    public void An_invalid_service_url_is_shown_without_its_credentials(string url, string shown)
    {
        var fromFlag = Fails(flags: ("http.service_url", url, "--service-url"));
        Assert.Equal($"http.service_url: {shown} is not an absolute http:// or https:// URL (from --service-url)", fromFlag.Message);

        var fromVariable = Fails(null, Env(("JOBMON__HTTP__SERVICE_URL", "${URL}"), ("URL", url)));
        Assert.Equal(
            $"http.service_url: {shown} (expanded from '${{URL}}') is not an absolute http:// or https:// URL (from environment variable JOBMON__HTTP__SERVICE_URL)",
            fromVariable.Message);

        var file = dir.Write("jobmon.yaml", $"http:\n  service_url: '{url}'\n");
        Assert.DoesNotContain("s3cret", Fails(file).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http.service_url", "ftp://jobmon.example", "is not an absolute http:// or https:// URL")]
    [InlineData("http.service_url", "jobmon.example:8070", "is not an absolute http:// or https:// URL")]
    [InlineData("http.service_url", "/relative", "is not an absolute http:// or https:// URL")]
    [InlineData("http.route_prefix", "api/v3", "must start with /")]
    [InlineData("http.request_timeout", "abc", "is not a number of seconds")]
    [InlineData("http.request_timeout", "-1", "must be greater than 0")]
    [InlineData("http.retries_attempts", "0", "must be at least 1")]
    [InlineData("http.retries_attempts", "1.5", "is not a whole number")]
    [InlineData("http.retries_timeout", "0", "must be greater than 0")]
    [InlineData("heartbeat.task_instance_interval", "0", "must be greater than 0")]
    [InlineData("heartbeat.task_instance_interval", "12X", "is not a number of seconds")]
    [InlineData("heartbeat.report_by_buffer", "0.5", "must be at least 1")]
    [InlineData("heartbeat.report_by_buffer", "x", "is not a number")]
    [InlineData("worker_node.command_interrupt_timeout", "-1", "must not be negative")]
    [InlineData("worker_node.time_limit", "90", "has no unit; give a unit: 90s, 15m, 2h or HH:MM:SS")]
    [InlineData("worker_node.time_limit", "0s", "must be greater than 0")]
    [InlineData("worker_node.time_limit", "-3s", "must be greater than 0")]
    [InlineData("worker_node.time_limit", "12X", "is not a duration; give a unit: 90s, 15m, 2h or HH:MM:SS")]
    [InlineData("worker_node.memory_limit", "0", "must be greater than 0")]
    [InlineData("worker_node.memory_limit", "-1G", "must be greater than 0")]
    [InlineData("worker_node.memory_limit", "12X", "is not a size like 512M, 4G or 1.5T")]
    [InlineData("worker_node.limits_from_scheduler", "maybe", "is not a boolean (true/false, yes/no, on/off, 1/0)")]
    [InlineData("worker_node.memory_margin", "1", "must be at least 0 and less than 1 (0% to 99%)")]
    [InlineData("worker_node.memory_margin", "100%", "must be at least 0 and less than 1 (0% to 99%)")]
    [InlineData("worker_node.memory_margin", "-0.1", "must be at least 0 and less than 1 (0% to 99%)")]
    [InlineData("worker_node.memory_margin", "five", "is not a fraction like 0.05 or 5%")]
    [InlineData("worker_node.time_margin", "-1s", "must not be negative")]
    [InlineData("worker_node.memory_metric", "vss", "must be rss or pss")]
    [InlineData("worker_node.sample_interval", "0", "must be greater than 0")]
    [InlineData("worker_node.on_lost_server", "ignore", "must be stop or continue")]
    [InlineData("worker_node.spool_dir", "spool", "must be an absolute path (starting with /)")]
    [InlineData("worker_node.log_level", "verbose", "must be debug, info, warning or error")]
    [InlineData("worker_node.log_format", "xml", "must be text or json")]
    [InlineData("http.request_timeout", "25d", "must be at most 24 days")]
    [InlineData("http.request_timeout", "2073601", "must be at most 24 days")]
    [InlineData("http.retries_timeout", "24.5d", "must be at most 24 days")]
    [InlineData("heartbeat.task_instance_interval", "9999999999", "must be at most 24 days")]
    [InlineData("worker_node.command_interrupt_timeout", "30d", "must be at most 24 days")]
    [InlineData("worker_node.time_margin", "25-00:00:00", "must be at most 24 days")]
    [InlineData("worker_node.sample_interval", "600h", "must be at most 24 days")]
    [InlineData("worker_node.time_limit", "366d", "must be at most 365 days")]
    [InlineData("worker_node.time_limit", "9000-00:00:00", "must be at most 365 days")]
    [InlineData("worker_node.time_limit", "99999999999999d", "is too long")]
    [InlineData("worker_node.memory_limit", "8388608T", "is too large")]
    [InlineData("worker_node.memory_limit", "99999999999999999999", "is too large")]
    public void Bad_values_name_key_value_reason_and_source(string key, string value, string reason)
    {
        var fromFlag = Fails(flags: (key, value, "--the-flag"));
        Assert.Equal($"{key}: '{value}' {reason} (from --the-flag)", fromFlag.Message);
        Assert.Equal(ConfigurationErrorKind.Usage, fromFlag.Kind);

        var variable = ConfigKeys.All[ConfigKeys.IndexOf(key)].EnvironmentVariable;
        var fromVariable = Fails(null, Env((variable, value)));
        Assert.Equal($"{key}: '{value}' {reason} (from environment variable {variable})", fromVariable.Message);
        Assert.Equal(ConfigurationErrorKind.Environment, fromVariable.Kind);

        var parts = key.Split('.');
        var file = dir.Write("jobmon.yaml", $"{parts[0]}:\n  {parts[1]}: '{value}'\n");
        var fromFile = Fails(file);
        Assert.Equal($"{key}: '{value}' {reason} (from {file})", fromFile.Message);
        Assert.Equal(ConfigurationErrorKind.Environment, fromFile.Kind);
    }

    [Theory]
    [InlineData("http.request_timeout", "24d")]
    [InlineData("http.retries_timeout", "2073600")]
    [InlineData("heartbeat.task_instance_interval", "24d")]
    [InlineData("worker_node.command_interrupt_timeout", "24d")]
    [InlineData("worker_node.time_margin", "24-00:00:00")]
    [InlineData("worker_node.sample_interval", "576h")]
    [InlineData("worker_node.time_limit", "365d")]
    [InlineData("worker_node.memory_limit", "8388607T")]
    public void Values_at_their_upper_bound_are_accepted(string key, string value)
    {
        // The interval alone at 24 days would make the report-by increment longer: keep the buffer at 1.
        Load(flags: [(key, value, "--the-flag"), ("heartbeat.report_by_buffer", "1", "--report-by-buffer")]);
    }

    [Fact]
    public void A_report_by_increment_over_24_days_names_both_factors_and_blames_the_flag()
    {
        var e = Fails(null, Env(("JOBMON__HEARTBEAT__REPORT_BY_BUFFER", "10")), ("heartbeat.task_instance_interval", "3d", "--heartbeat-interval"));

        Assert.Equal(
            "heartbeat.task_instance_interval × heartbeat.report_by_buffer (the next_report_increment) must be at most 24 days, not 30 days: "
            + "'3d' (from --heartbeat-interval) × '10' (from environment variable JOBMON__HEARTBEAT__REPORT_BY_BUFFER)",
            e.Message);
        Assert.Equal(ConfigurationErrorKind.Usage, e.Kind);
    }

    [Fact]
    public void A_report_by_increment_over_24_days_from_a_buffer_alone_is_an_environment_error()
    {
        var e = Fails(null, Env(("JOBMON__HEARTBEAT__REPORT_BY_BUFFER", "100000")));

        Assert.Equal(
            "heartbeat.task_instance_interval × heartbeat.report_by_buffer (the next_report_increment) must be at most 24 days, not 104.2 days: "
            + "00:01:30 (the default) × '100000' (from environment variable JOBMON__HEARTBEAT__REPORT_BY_BUFFER)",
            e.Message);
        Assert.Equal(ConfigurationErrorKind.Environment, e.Kind);
    }

    [Fact]
    public void An_astronomical_buffer_is_refused_not_overflowed()
    {
        var e = Fails(flags: ("heartbeat.report_by_buffer", new string('9', 300), "--report-by-buffer"));

        Assert.Contains("must be at most 24 days, not over a million days", e.Message, StringComparison.Ordinal);
        Assert.Equal(ConfigurationErrorKind.Usage, e.Kind);
    }

    [Theory]
    [InlineData("0.05", 0.05)]
    [InlineData("5%", 0.05)]
    [InlineData("0", 0)]
    [InlineData("0%", 0)]
    [InlineData("99.5%", 0.995)]
    public void Memory_margin_accepts_fractions_and_percentages(string text, double expected)
    {
        var settings = Load(flags: ("worker_node.memory_margin", text, "--memory-margin"));
        Assert.Equal(expected, settings.WorkerNode.MemoryMargin, precision: 10);
    }

    [Theory]
    [InlineData("true", true)]
    [InlineData("Yes", true)]
    [InlineData("1", true)]
    [InlineData("ON", true)]
    [InlineData("false", false)]
    [InlineData("no", false)]
    [InlineData("0", false)]
    [InlineData("off", false)]
    public void Booleans(string text, bool expected)
    {
        Assert.Equal(expected, Load(flags: ("worker_node.limits_from_scheduler", text, "--x")).WorkerNode.LimitsFromScheduler);
    }
}
