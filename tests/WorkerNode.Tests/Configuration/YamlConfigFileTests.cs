using WorkerNode.Configuration;

namespace WorkerNode.Tests.Configuration;

/// <summary>The Jobmon YAML file through YamlDotNet's parser: valid documents read, invalid ones one positioned line, merge keys, bounds.</summary>
public sealed class YamlConfigFileTests
{
    public static TheoryData<string> ValidDocuments =>
    [
        "http:\n  service_url: http://x:1\n  request_timeout: 20\n",
        "# comment\nhttp: # trailing\n  request_timeout: 20 # here\n",
        "---\nhttp:\n  request_timeout: 20\n...\n",
        "%YAML 1.1\n---\nhttp:\n  request_timeout: 20\n",
        "http: {request_timeout: 20, retries_attempts: 3}\n",
        "{http: {route_prefix: /x}, worker_node: {log_level: debug}}\n",
        "http:\n  route_prefix: '/quoted '' inside'\n  service_url: \"http://x:1/\\u0041\"\n",
        "worker_node:\n  spool_dir: |\n    /literal\n  log_level: >-\n    debug\n",
        "http:\n  request_timeout: [1, 2]\n  retries_attempts: [a: 1, b]\n",
        "http:\n  request_timeout:\n    a: 1\n    b: [x, {y: z}]\n",
        "defaults: &d\n  request_timeout: 44\nhttp: *d\n",
        "http:\n  request_timeout: !!str 20\n  retries_attempts: !custom 3\n",
        "http:\n  ? request_timeout\n  : 20\n  ? retries_attempts\n",
        "db:\n  - {a: [1, 2, {b: c}]}\n  - ? complex key\n    : value\nlogging: !!map {x: y}\nhttp:\n  request_timeout: 9\n",
        "telemetry: 5\nhttp: ~\nworker_node:\n",
        "",
        "# nothing but a comment\n",
        "---\n",
        "~\n",
    ];

    public static TheoryData<string> InvalidDocuments =>
    [
        "http:\n  request_timeout: [1,\n",
        "http:\n  request_timeout: {a: 1\n",
        "a: b: c\n",
        "http:\n  request_timeout: 20\n request_timeout: 30\n",
        "http:\n  request_timeout: 20\n  request_timeout: 30\n",
        "http:\n\trequest_timeout: 20\n",
        "http: *missing\n",
        "http:\n  service_url: \"unterminated\n",
        "http:\n  - a\n  b: c\n",
        "[a, b]]\n",
        "key: 'x' y\n",
    ];

    [Theory]
    [MemberData(nameof(ValidDocuments))]
    public void Valid_documents_are_read(string yaml) => _ = YamlConfigFile.Parse("/f.yaml", yaml);

    [Theory]
    [MemberData(nameof(InvalidDocuments))]
    public void Invalid_documents_are_one_positioned_line(string yaml)
    {
        var e = Assert.Throws<ConfigurationException>(() => YamlConfigFile.Parse("/f.yaml", yaml));
        Assert.StartsWith("config file /f.yaml: not valid YAML at line ", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', e.Message);
        Assert.DoesNotContain("(Line:", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Merge_keys_are_resolved_as_PyYAML_does()
    {
        var yaml = "defaults: &defaults\n  service_url: http://jobmon:8070\n  request_timeout: 20\nhttp:\n  <<: *defaults\n  request_timeout: 5\n";

        var entries = YamlConfigFile.Parse("/f.yaml", yaml);

        Assert.Contains(new ConfigFileEntry("http", "service_url", "http://jobmon:8070", null), entries);
        Assert.Contains(new ConfigFileEntry("http", "request_timeout", "5", null), entries);
        Assert.DoesNotContain(entries, entry => entry.Key == "<<");
    }

    [Fact]
    public void A_list_of_merged_mappings_is_resolved_too()
    {
        var yaml = "a: &a {service_url: http://a:1}\nb: &b {route_prefix: /b}\nhttp:\n  <<: [*a, *b]\n";

        var entries = YamlConfigFile.Parse("/f.yaml", yaml);

        Assert.Contains(new ConfigFileEntry("http", "service_url", "http://a:1", null), entries);
        Assert.Contains(new ConfigFileEntry("http", "route_prefix", "/b", null), entries);
    }

    [Fact]
    public void A_tab_is_pointed_at_where_it_is()
    {
        var e = Assert.Throws<ConfigurationException>(() => YamlConfigFile.Parse("/f.yaml", "http:\n  service_url: http://x:1\n\trequest_timeout: 20\n"));

        Assert.Contains("not valid YAML at line 3, column 1:", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Deep_nesting_is_refused_rather_than_overflowing_the_stack()
    {
        var yaml = "db: " + new string('[', 10_000) + new string(']', 10_000) + "\n";
        var e = Assert.Throws<ConfigurationException>(() => YamlConfigFile.Parse("/f.yaml", yaml));
        Assert.Contains("nested deeper than 64 levels", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Merges_that_multiply_are_walked_without_copying()
    {
        // Each level merges the one before twice: 2^30 keys if merges were copied out.
        var yaml = new System.Text.StringBuilder("l0: &l0 {a: 1}\n");
        for (var i = 1; i <= 30; i++)
        {
            yaml.Append(System.Globalization.CultureInfo.InvariantCulture, $"l{i}: &l{i} {{x{i}: {{<<: [*l{i - 1}]}}, y{i}: {{<<: [*l{i - 1}]}}}}\n");
        }

        yaml.Append("http:\n  <<: *l30\n  request_timeout: 3\n");

        var entries = YamlConfigFile.Parse("/f.yaml", yaml.ToString());

        Assert.Contains(new ConfigFileEntry("http", "request_timeout", "3", null), entries);
    }

    [Fact]
    public void A_merge_of_a_scalar_is_one_clear_line()
    {
        var e = Assert.Throws<ConfigurationException>(() => YamlConfigFile.Parse("/f.yaml", "http:\n  <<: 5\n"));
        Assert.Contains("merges something other than a mapping", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Keys_of_the_first_merged_mapping_win()
    {
        var entries = YamlConfigFile.Parse("/f.yaml", "a: &a {request_timeout: 1}\nb: &b {request_timeout: 2, route_prefix: /b}\nhttp:\n  <<: [*a, *b]\n");

        Assert.Equal(["http.request_timeout=1", "http.route_prefix=/b"], entries.Select(entry => $"{entry.Section}.{entry.Key}={entry.Value}"));
    }

    [Fact]
    public void Positions_are_one_based()
    {
        var e = Assert.Throws<ConfigurationException>(() => YamlConfigFile.Parse("/f.yaml", "http:\n  a: 1\n  a: 2\n"));
        Assert.StartsWith("config file /f.yaml: not valid YAML at line 3, column 3: ", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_second_document_is_refused()
    {
        var e = Assert.Throws<ConfigurationException>(() => YamlConfigFile.Parse("/f.yaml", "http:\n  request_timeout: 1\n---\nhttp:\n  request_timeout: 2\n"));
        Assert.Contains("more than one YAML document", e.Message, StringComparison.Ordinal);
    }
}
