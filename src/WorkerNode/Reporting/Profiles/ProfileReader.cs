using System.Text.Json;
using WorkerNode.Monitoring;

namespace WorkerNode.Reporting.Profiles;

/// <summary>Reads profile files (docs/profile-format.md), and finds them in directories.</summary>
public static class ProfileReader
{
    /// <summary>The largest file read: a profile is a few hundred KiB at most; anything far bigger is not one.</summary>
    public const long LargestFile = 64L << 20;

    /// <summary>
    /// The profile files named: files as given, directories searched (with their subdirectories) for <c>*.jsonl</c>,
    /// in name order. A name that is neither gives an IOException naming it.
    /// </summary>
    public static IReadOnlyList<string> Find(IEnumerable<string> filesOrDirectories)
    {
        ArgumentNullException.ThrowIfNull(filesOrDirectories);
        var found = new List<string>();
        foreach (var name in filesOrDirectories)
        {
            if (Directory.Exists(name))
            {
                var inDirectory = Directory.GetFiles(name, "*.jsonl", new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true, AttributesToSkip = FileAttributes.Hidden });
                Array.Sort(inDirectory, StringComparer.Ordinal);
                found.AddRange(inDirectory);
            }
            else if (File.Exists(name))
            {
                found.Add(name);
            }
            else
            {
                throw new IOException($"{name}: no such file or directory");
            }
        }

        return found;
    }

    /// <summary>Reads one file; ProfileFormatException when it is not a readable profile, IOException when it cannot be read.</summary>
    public static Profile Read(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read);
        var length = RandomAccess.GetLength(handle);
        if (length > LargestFile)
        {
            throw new ProfileFormatException($"{path}: {length} bytes is too large for a profile");
        }

        var bytes = new byte[length];
        var read = 0;
        while (read < bytes.Length)
        {
            var n = RandomAccess.Read(handle, bytes.AsSpan(read), read);
            if (n == 0)
            {
                break;
            }

            read += n;
        }

        return Parse(path, bytes.AsSpan(0, read));
    }

    /// <summary>Parses a profile's bytes; <paramref name="path"/> only names it in errors.</summary>
    public static Profile Parse(string path, ReadOnlySpan<byte> content)
    {
        var newline = content.IndexOf((byte)'\n');
        var first = newline < 0 ? content : content[..newline];
        var header = ParseHeader(path, first);
        var samples = new List<ProfileSample>(header.Rows is > 0 and < 1 << 20 ? header.Rows : 16);
        var line = 1;
        var rest = newline < 0 ? ReadOnlySpan<byte>.Empty : content[(newline + 1)..];
        while (!rest.IsEmpty)
        {
            line++;
            newline = rest.IndexOf((byte)'\n');
            var text = newline < 0 ? rest : rest[..newline];
            rest = newline < 0 ? ReadOnlySpan<byte>.Empty : rest[(newline + 1)..];
            if (text.Trim(" \r\t"u8).IsEmpty)
            {
                continue;
            }

            samples.Add(ParseRow(path, line, text));
        }

        return new Profile(path, header, samples);
    }

    private static ProfileHeader ParseHeader(string path, ReadOnlySpan<byte> line)
    {
        // The format and version first, so that another file, or a later version, is named as such rather than
        // as a header with missing fields.
        var (format, version) = FormatAndVersion(line);
        if (format != ProfileHeader.FormatName)
        {
            throw new ProfileFormatException($"{path}: not a worker-node profile (its first line has no \"format\": \"{ProfileHeader.FormatName}\")");
        }

        if (version is not { } number || number < 1 || number > ProfileHeader.CurrentVersion)
        {
            throw new ProfileFormatException($"{path}: profile format version {version?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "missing"}; this worker-node reads version {ProfileHeader.CurrentVersion} (use a newer worker-node)");
        }

        try
        {
            return JsonSerializer.Deserialize(line, ProfileJsonContext.Default.ProfileHeader)
                ?? throw new ProfileFormatException($"{path}: line 1 is not a profile header");
        }
        catch (JsonException exception)
        {
            throw new ProfileFormatException($"{path}: line 1 is not a complete profile header ({exception.Message})", exception);
        }
    }

    private static (string? Format, int? Version) FormatAndVersion(ReadOnlySpan<byte> line)
    {
        string? format = null;
        int? version = null;
        try
        {
            var reader = new Utf8JsonReader(line);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return (null, null);
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isFormat = reader.ValueTextEquals("format"u8);
                var isVersion = reader.ValueTextEquals("version"u8);
                reader.Read();
                if (isFormat && reader.TokenType == JsonTokenType.String)
                {
                    format = reader.GetString();
                }
                else if (isVersion && reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out var number))
                {
                    version = number;
                }
                else
                {
                    reader.Skip();
                }
            }
        }
        catch (JsonException)
        {
            // A line that is not JSON: no format, so not a profile.
        }

        return (format, version);
    }

    // By hand rather than through the generated deserializer: a report reads hundreds of thousands of rows, and
    // this allocates nothing per row. Unknown properties are skipped, so later versions may add columns.
    private static ProfileSample ParseRow(string path, int line, ReadOnlySpan<byte> text)
    {
        try
        {
            var reader = new Utf8JsonReader(text);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                throw new ProfileFormatException($"{path}: line {line} is not a JSON object");
            }

            double? elapsed = null;
            long rss = 0;
            long read = 0;
            long write = 0;
            long? pss = null;
            long? cgroup = null;
            double cpu = 0;
            var processes = 0;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var name = reader.ValueSpan;
                reader.Read();
                if (reader.TokenType == JsonTokenType.Null)
                {
                    continue;
                }

                if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
                {
                    reader.Skip();
                    continue;
                }

                if (reader.TokenType != JsonTokenType.Number)
                {
                    continue;
                }

                if (name.SequenceEqual("t_s"u8))
                {
                    elapsed = reader.GetDouble();
                }
                else if (name.SequenceEqual("rss_bytes"u8))
                {
                    rss = reader.GetInt64();
                }
                else if (name.SequenceEqual("pss_bytes"u8))
                {
                    pss = reader.GetInt64();
                }
                else if (name.SequenceEqual("cgroup_bytes"u8))
                {
                    cgroup = reader.GetInt64();
                }
                else if (name.SequenceEqual("cpu_pct"u8))
                {
                    cpu = reader.GetDouble();
                }
                else if (name.SequenceEqual("processes"u8))
                {
                    processes = reader.GetInt32();
                }
                else if (name.SequenceEqual("read_bytes"u8))
                {
                    read = reader.GetInt64();
                }
                else if (name.SequenceEqual("write_bytes"u8))
                {
                    write = reader.GetInt64();
                }
            }

            if (elapsed is not { } seconds || !double.IsFinite(seconds))
            {
                throw new ProfileFormatException($"{path}: line {line} has no \"t_s\"");
            }

            return new ProfileSample(seconds, rss, pss, cgroup, cpu, processes, read, write);
        }
        catch (Exception exception) when (exception is JsonException or FormatException or InvalidOperationException)
        {
            throw new ProfileFormatException($"{path}: line {line} is not a sample row ({exception.Message})", exception);
        }
    }
}
