using System.Runtime.CompilerServices;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace WorkerNode.Configuration;

/// <summary>
/// Reads Jobmon's YAML config file with YamlDotNet's low-level model (trim-safe, no reflection). This is the only
/// type that touches YamlDotNet, and it is reached only when there is a file, so a run without one never
/// loads that assembly.
/// </summary>
internal static class YamlConfigFile
{
    /// <summary>The entries of our sections; other sections are skipped whole, null values (<c>~</c>) left out.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static List<ConfigFileEntry> Parse(string path, string text)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException e)
        {
            throw Error(path, $"not valid YAML at line {e.Start.Line}, column {e.Start.Column}: {OneLine(e.Message)}");
        }

        var entries = new List<ConfigFileEntry>();
        if (stream.Documents.Count == 0)
        {
            return entries;
        }

        if (stream.Documents.Count > 1)
        {
            throw Error(path, "holds more than one YAML document (a second '---'); keep one");
        }

        var root = stream.Documents[0].RootNode;
        if (IsNull(root))
        {
            return entries;
        }

        if (root is not YamlMappingNode sections)
        {
            throw Error(path, $"the top level at line {root.Start.Line} is not a mapping of sections like http: and worker_node:");
        }

        foreach (var (sectionKey, sectionValue) in sections.Children)
        {
            if (sectionKey is not YamlScalarNode { Value: { } section } || !ConfigKeys.IsSection(section) || IsNull(sectionValue))
            {
                continue;
            }

            if (sectionValue is not YamlMappingNode keys)
            {
                throw Error(path, $"section {section} at line {sectionValue.Start.Line} is not a mapping of keys");
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

        return entries;
    }

    // YAML's null: an empty plain scalar, ~ or null in any of its spellings. A quoted "~" is a string.
    private static bool IsNull(YamlNode node) =>
        node is YamlScalarNode { Style: ScalarStyle.Plain or ScalarStyle.Any, Value: null or "" or "~" or "null" or "Null" or "NULL" };

    private static string OneLine(string message) => message.ReplaceLineEndings(" ").Trim();

    private static ConfigurationException Error(string path, string reason) =>
        new($"config file {path}: {reason}", ConfigurationErrorKind.Environment);
}
