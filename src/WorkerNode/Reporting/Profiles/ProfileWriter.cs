using System.Buffers;
using System.Text.Json;
using WorkerNode.Monitoring;

namespace WorkerNode.Reporting.Profiles;

/// <summary>
/// Writes a profile file once, when the task has ended: the header line, then one JSON object per sample row
/// (docs/profile-format.md). A few hundred KiB at most (see <see cref="ProfileRecorder"/>), written in one go.
/// </summary>
public static class ProfileWriter
{
    private static readonly JsonWriterOptions Compact = new() { Indented = false, SkipValidation = true };

    /// <summary>The file's bytes.</summary>
    public static byte[] Serialize(ProfileHeader header, IReadOnlyList<ProfileSample> rows)
    {
        ArgumentNullException.ThrowIfNull(header);
        ArgumentNullException.ThrowIfNull(rows);
        var buffer = new ArrayBufferWriter<byte>(512 + (rows.Count * 128));
        using (var writer = new Utf8JsonWriter(buffer, Compact))
        {
            JsonSerializer.Serialize(writer, header, ProfileJsonContext.Default.ProfileHeader);
            writer.Flush();
            buffer.Write("\n"u8);
            foreach (var row in rows)
            {
                writer.Reset();
                WriteRow(writer, row);
                writer.Flush();
                buffer.Write("\n"u8);
            }
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Writes to <paramref name="path"/>, replacing what is there (run --metrics FILE).</summary>
    public static void Write(string path, ProfileHeader header, IReadOnlyList<ProfileSample> rows) =>
        ProfileFile.WriteReplacing(path, Serialize(header, rows));

    /// <summary>
    /// Writes into <paramref name="directory"/> (created owner-only when missing) as <c>{baseName}.jsonl</c>, or
    /// <c>{baseName}.1.jsonl</c>, ... when that name is taken: never over another task's profile.
    /// </summary>
    /// <returns>The file written.</returns>
    public static string WriteInDirectory(string directory, string baseName, ProfileHeader header, IReadOnlyList<ProfileSample> rows) =>
        ProfileFile.WriteNewIn(directory, ProfileFile.SafeName(baseName), Serialize(header, rows));

    // By hand rather than through the generated serializer: a row is eight numbers, and a 24-hour profile has
    // thousands of them; rounding here keeps the file small (milliseconds, tenths of a percent).
    private static void WriteRow(Utf8JsonWriter writer, ProfileSample row)
    {
        writer.WriteStartObject();
        writer.WriteNumber("t_s"u8, Math.Round(row.ElapsedSeconds, 3));
        writer.WriteNumber("rss_bytes"u8, row.RssBytes);
        if (row.PssBytes is { } pss)
        {
            writer.WriteNumber("pss_bytes"u8, pss);
        }

        if (row.CgroupBytes is { } cgroup)
        {
            writer.WriteNumber("cgroup_bytes"u8, cgroup);
        }

        writer.WriteNumber("cpu_pct"u8, Math.Round(row.CpuPercent, 1));
        writer.WriteNumber("processes"u8, row.Processes);
        writer.WriteNumber("read_bytes"u8, row.ReadBytes);
        writer.WriteNumber("write_bytes"u8, row.WriteBytes);
        writer.WriteEndObject();
    }
}
