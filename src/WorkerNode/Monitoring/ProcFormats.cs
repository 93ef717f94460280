using System.Buffers.Text;

namespace WorkerNode.Monitoring;

/// <summary>Parsers for the /proc and cgroup files the monitor reads, on bytes, allocating nothing.</summary>
internal static class ProcFormats
{
    /// <summary>/proc/PID/io: "rchar: N\nwchar: N\nsyscr: N\nsyscw: N\nread_bytes: N\nwrite_bytes: N\n...".</summary>
    public static bool TryParseIo(ReadOnlySpan<byte> text, out IoCounters counters)
    {
        // & rather than &&: each lookup must run, so that every counter is assigned.
        var found = TryGetValue(text, "rchar"u8, out var rchar)
            & TryGetValue(text, "wchar"u8, out var wchar)
            & TryGetValue(text, "read_bytes"u8, out var readBytes)
            & TryGetValue(text, "write_bytes"u8, out var writeBytes);
        counters = found ? new IoCounters(readBytes, writeBytes, rchar, wchar) : default;
        return found;
    }

    /// <summary>The "Pss:" line of /proc/PID/smaps_rollup, in bytes (the file says kB).</summary>
    public static bool TryParsePss(ReadOnlySpan<byte> text, out long bytes)
    {
        if (TryGetValue(text, "Pss"u8, out var kib))
        {
            bytes = kib * 1024;
            return true;
        }

        bytes = 0;
        return false;
    }

    /// <summary>
    /// The value on the line that starts with <paramref name="key"/> followed by ':' or ' ' (both styles occur:
    /// "rchar: 5", "oom_kill 3"), skipping blanks; a trailing unit such as " kB" is ignored.
    /// </summary>
    public static bool TryGetValue(ReadOnlySpan<byte> text, ReadOnlySpan<byte> key, out long value)
    {
        value = 0;
        while (!text.IsEmpty)
        {
            var end = text.IndexOf((byte)'\n');
            var line = end < 0 ? text : text[..end];
            text = end < 0 ? default : text[(end + 1)..];
            if (line.Length <= key.Length || !line.StartsWith(key) || line[key.Length] is not ((byte)':' or (byte)' '))
            {
                continue;
            }

            var number = line[(key.Length + 1)..].TrimStart(" \t"u8);
            return Utf8Parser.TryParse(number, out value, out _) && value >= 0;
        }

        return false;
    }

    /// <summary>A file holding one number, such as memory.current; "max" (cgroup v2's "no limit") gives false.</summary>
    public static bool TryParseNumber(ReadOnlySpan<byte> text, out long value)
    {
        var trimmed = text.Trim(" \t\n"u8);
        return Utf8Parser.TryParse(trimmed, out value, out var consumed) && consumed == trimmed.Length && value >= 0;
    }

    /// <summary>
    /// Reads the next pid of a /proc/PID/task/TID/children list ("12 15 17 ") starting at
    /// <paramref name="position"/>, and moves past it.
    /// </summary>
    public static bool TryReadNextPid(ReadOnlySpan<byte> list, ref int position, out int pid)
    {
        while (position < list.Length && list[position] is (byte)' ' or (byte)'\n')
        {
            position++;
        }

        if (position >= list.Length || !Utf8Parser.TryParse(list[position..], out pid, out var consumed) || pid <= 0)
        {
            pid = 0;
            return false;
        }

        position += consumed;
        return true;
    }
}
