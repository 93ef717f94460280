using WorkerNode.Configuration;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace WorkerNode.Tests.Configuration;

/// <summary>
/// The scanner-based reader against YamlDotNet's own full parser (YamlStream) as the oracle: both must agree on
/// the entries of every valid document and both must refuse every invalid one.
/// </summary>
public sealed class YamlTreeReaderTests
{
    public static TheoryData<string> ValidDocuments =>
    [
        "http:\n  service_url: http://x:1\n  request_timeout: 20\n",
        "# comment\nhttp: # trailing\n  request_timeout: 20 # here\n",
        "---\nhttp:\n  request_timeout: 20\n...\n",
        "%YAML 1.1\n---\nhttp:\n  request_timeout: 20\n",
        "http: {request_timeout: 20, retries_attempts: 3}\n",
        "http: {request_timeout: 20, retries_attempts: 3,}\n",
        "{http: {route_prefix: /x}, worker_node: {log_level: debug}}\n",
        "http:\n  route_prefix: '/quoted '' inside'\n  service_url: \"http://x:1/\\u0041\"\n",
        "worker_node:\n  spool_dir: |\n    /literal\n  log_level: >-\n    debug\n",
        "worker_node:\n  spool_dir: /a\n    /continued\n",
        "http:\n  request_timeout: [1, 2]\n  retries_attempts: [a: 1, b]\n",
        "http:\n  request_timeout:\n  - 1\n  - 2\n",
        "http:\n  request_timeout:\n    - 1\n    -\n    - - nested\n",
        "http:\n  request_timeout: {a: 1}\n",
        "http:\n  request_timeout:\n    a: 1\n    b: [x, {y: z}]\n",
        "defaults: &d\n  request_timeout: 44\nhttp: *d\n",
        "base: &t 33\nhttp:\n  request_timeout: *t\n",
        "http:\n  request_timeout: !!str 20\n  retries_attempts: !custom 3\n",
        "http:\n  ? request_timeout\n  : 20\n  ? retries_attempts\n",
        "http:\n  request_timeout:\n  retries_attempts: ~\n  route_prefix: null\n  service_url: ''\n",
        "http:\n  request_timeout: &a\n",
        "db:\n  - {a: [1, 2, {b: c}]}\n  - ? complex key\n    : value\nlogging: !!map {x: y}\nhttp:\n  request_timeout: 9\n",
        "telemetry: 5\nhttp: ~\nworker_node:\n",
        "[]\n",
        "just a scalar\n",
        "",
        "# nothing but a comment\n",
        "---\n",
        "~\n",
        "http:\n  request_timeout: 1\n---\nhttp:\n  request_timeout: 2\n",
        "http:\n  'request_timeout': \"20\"\n",
        "? [http]\n: x\nhttp:\n  request_timeout: 3\n",
        "http:\n  request_timeout: 20\n  route_prefix: /a # comment\n  service_url: http://h:1/#fragment\n",
        "- a\n- b\n",
        "%FOO bar\n---\nhttp:\n  request_timeout: 2\n",
        "http: &h\n  request_timeout: 8\nworker_node: *h\n",
        "http:\n  <<: {request_timeout: 3}\n",
        "http:\n  list:\n  - a\n  - b\n  request_timeout: 5\n",
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
        "a: 1\n- b\n",
        "[a, b]]\n",
        "{a: 1}}\n",
        "key: 'x' y\n",
        "- a\nb: c\n",
        "http:\n  request_timeout: >\n 1\n",
    ];

    [Theory]
    [MemberData(nameof(ValidDocuments))]
    public void Agrees_with_YamlDotNets_parser_on_valid_documents(string yaml)
    {
        var expected = Oracle(yaml);
        var actual = Ours(yaml);
        Assert.Equal(expected, actual);
    }

    [Theory]
    [MemberData(nameof(InvalidDocuments))]
    public void Refuses_what_YamlDotNets_parser_refuses(string yaml)
    {
        Assert.ThrowsAny<YamlException>(() => new YamlStream().Load(new StringReader(yaml)));
        var e = Assert.Throws<ConfigurationException>(() => YamlConfigFile.Parse("/f.yaml", yaml));
        Assert.StartsWith("config file /f.yaml: not valid YAML at line ", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void Deep_nesting_is_refused_rather_than_overflowing_the_stack()
    {
        var yaml = "db: " + new string('[', 10_000) + new string(']', 10_000) + "\n";
        var e = Assert.Throws<ConfigurationException>(() => YamlConfigFile.Parse("/f.yaml", yaml));
        Assert.Contains("nested deeper than 64 levels", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Positions_are_one_based()
    {
        var e = Assert.Throws<ConfigurationException>(() => YamlConfigFile.Parse("/f.yaml", "http:\n  a: 1\n  a: 2\n"));
        Assert.Equal("config file /f.yaml: not valid YAML at line 3, column 3: duplicate key a", e.Message);
    }

    private static string Ours(string yaml)
    {
        try
        {
            return Describe(YamlConfigFile.Parse("/f.yaml", yaml));
        }
        catch (ConfigurationException e) when (!e.Message.Contains("not valid YAML", StringComparison.Ordinal))
        {
            return "shape: " + e.Message;
        }
    }

    // The same walk as YamlConfigFile, over YamlDotNet's representation model.
    private static string Oracle(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        if (stream.Documents.Count > 1)
        {
            return "shape: config file /f.yaml: holds more than one YAML document (a second '---'); keep one";
        }

        var entries = new List<ConfigFileEntry>();
        if (stream.Documents.Count == 0 || IsNull(stream.Documents[0].RootNode))
        {
            return Describe(entries);
        }

        var root = stream.Documents[0].RootNode;
        if (root is not YamlMappingNode sections)
        {
            return $"shape: config file /f.yaml: the top level at line {root.Start.Line} is not a mapping of sections like http: and worker_node:";
        }

        foreach (var (sectionKey, sectionValue) in sections.Children)
        {
            if (sectionKey is not YamlScalarNode { Value: { } section } || !ConfigKeys.IsSection(section) || IsNull(sectionValue))
            {
                continue;
            }

            if (sectionValue is not YamlMappingNode keys)
            {
                return $"shape: config file /f.yaml: section {section} at line {sectionValue.Start.Line} is not a mapping of keys";
            }

            foreach (var (key, value) in keys.Children)
            {
                if (key is not YamlScalarNode { Value: { } name } || IsNull(value))
                {
                    continue;
                }

                entries.Add(value switch
                {
                    YamlScalarNode scalar => new ConfigFileEntry(section, name, scalar.Value ?? string.Empty, null),
                    YamlSequenceNode => new ConfigFileEntry(section, name, null, "a list"),
                    _ => new ConfigFileEntry(section, name, null, "a mapping"),
                });
            }
        }

        return Describe(entries);
    }

    private static bool IsNull(YamlDotNet.RepresentationModel.YamlNode node) =>
        node is YamlScalarNode { Style: ScalarStyle.Plain or ScalarStyle.Any, Value: null or "" or "~" or "null" or "Null" or "NULL" };

    private static string Describe(List<ConfigFileEntry> entries) => string.Join(" | ", entries);
}
