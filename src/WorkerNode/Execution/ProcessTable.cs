using System.Globalization;

namespace WorkerNode.Execution;

/// <summary>Reads the system's process table from /proc and finds the descendants of a process.</summary>
internal static class ProcessTable
{
    /// <summary>Every process visible now. Processes that end while being read are skipped.</summary>
    public static List<ProcessEntry> Snapshot()
    {
        var entries = new List<ProcessEntry>(256);
        Span<byte> buffer = stackalloc byte[1024];
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            var name = Path.GetFileName(directory.AsSpan());
            if (name.Length == 0 || !char.IsAsciiDigit(name[0]) || !int.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }

            if (TryReadStat(pid, buffer, out var entry))
            {
                entries.Add(entry);
            }
        }

        return entries;
    }

    /// <summary>Live (non-zombie) descendants of <paramref name="rootPid"/>, parents before children.</summary>
    public static List<ProcessEntry> LiveDescendants(int rootPid) => Descendants(Snapshot(), rootPid, includeZombies: false);

    public static List<ProcessEntry> Descendants(List<ProcessEntry> snapshot, int rootPid, bool includeZombies)
    {
        var children = new Dictionary<int, List<ProcessEntry>>();
        foreach (var entry in snapshot)
        {
            if (!children.TryGetValue(entry.ParentPid, out var list))
            {
                children[entry.ParentPid] = list = [];
            }

            list.Add(entry);
        }

        var result = new List<ProcessEntry>();
        var pending = new Queue<int>();
        pending.Enqueue(rootPid);
        while (pending.TryDequeue(out var parent))
        {
            if (!children.TryGetValue(parent, out var list))
            {
                continue;
            }

            foreach (var child in list)
            {
                if (child.Pid == rootPid)
                {
                    continue;
                }

                if (includeZombies || !child.IsZombie)
                {
                    result.Add(child);
                }

                pending.Enqueue(child.Pid);
            }
        }

        return result;
    }

    /// <summary>Parses /proc/PID/stat: "pid (comm) state ppid pgrp session ...", where comm may hold anything.</summary>
    internal static bool TryParseStat(ReadOnlySpan<byte> stat, out ProcessEntry entry)
    {
        entry = default;
        var open = stat.IndexOf((byte)'(');
        var close = stat.LastIndexOf((byte)')');
        if (open <= 0 || close < open || close + 2 >= stat.Length)
        {
            return false;
        }

        if (!int.TryParse(stat[..(open - 1)], NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
        {
            return false;
        }

        var rest = stat[(close + 2)..];
        var state = (char)rest[0];
        Span<int> numbers = stackalloc int[3];
        var field = 0;
        var position = 2;
        while (field < 3 && position < rest.Length)
        {
            var end = rest[position..].IndexOf((byte)' ');
            var token = end < 0 ? rest[position..] : rest.Slice(position, end);
            if (!int.TryParse(token, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out numbers[field]))
            {
                return false;
            }

            field++;
            position += token.Length + 1;
        }

        if (field < 3)
        {
            return false;
        }

        entry = new ProcessEntry(pid, numbers[0], numbers[1], numbers[2], state);
        return true;
    }

    private static bool TryReadStat(int pid, Span<byte> buffer, out ProcessEntry entry)
    {
        entry = default;
        try
        {
            using var handle = File.OpenHandle($"/proc/{pid}/stat");
            var count = RandomAccess.Read(handle, buffer, 0);
            return TryParseStat(buffer[..count], out entry);
        }
        catch (IOException)
        {
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
    }
}
