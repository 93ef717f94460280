using System.Runtime.CompilerServices;
using YamlDotNet.Core;

namespace WorkerNode.Configuration;

/// <summary>
/// Reads Jobmon's YAML config file into plain entries. With <see cref="YamlTreeReader"/> it is the only code
/// that touches YamlDotNet, and it is reached only when there is a file, so a run without one never loads
/// that assembly.
/// </summary>
internal static class YamlConfigFile
{
    /// <summary>The entries of our sections; other sections are skipped whole, null values (<c>~</c>) left out.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static List<ConfigFileEntry> Parse(string path, string text)
    {
        YamlNode? root;
        bool moreDocuments;
        try
        {
            (root, moreDocuments) = YamlTreeReader.Read(text);
        }
        catch (YamlException e)
        {
            throw Error(path, $"not valid YAML at line {e.Start.Line}, column {e.Start.Column}: {OneLine(e.Message)}");
        }

        if (moreDocuments)
        {
            throw Error(path, "holds more than one YAML document (a second '---'); keep one");
        }

        var entries = new List<ConfigFileEntry>();
        if (root is null || root.IsNull)
        {
            return entries;
        }

        if (root.Pairs is not { } sections)
        {
            throw Error(path, $"the top level at line {root.Line} is not a mapping of sections like http: and worker_node:");
        }

        foreach (var (sectionKey, sectionValue) in sections)
        {
            if (sectionKey.Text is not { } section || !ConfigKeys.IsSection(section) || sectionValue.IsNull)
            {
                continue;
            }

            if (sectionValue.Pairs is not { } keys)
            {
                throw Error(path, $"section {section} at line {sectionValue.Line} is not a mapping of keys");
            }

            foreach (var (key, value) in keys)
            {
                if (key.Text is not { } name || value.IsNull)
                {
                    continue;
                }

                entries.Add(value.Kind switch
                {
                    YamlNodeKind.Scalar => new ConfigFileEntry(section, name, value.Text, null),
                    YamlNodeKind.Sequence => new ConfigFileEntry(section, name, null, "a list"),
                    _ => new ConfigFileEntry(section, name, null, "a mapping"),
                });
            }
        }

        return entries;
    }

    private static string OneLine(string message) => message.ReplaceLineEndings(" ").Trim();

    private static ConfigurationException Error(string path, string reason) =>
        new($"config file {path}: {reason}", ConfigurationErrorKind.Environment);
}
