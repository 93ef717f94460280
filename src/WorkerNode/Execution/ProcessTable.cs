using System.Globalization;
using System.Text;
using WorkerNode.Interop;

namespace WorkerNode.Execution;

/// <summary>Reads the system's process table from /proc and finds the descendants of a process.</summary>
internal static class ProcessTable
{
    /// <summary>Every process visible now. Processes that end while being read are skipped.</summary>
    /// <param name="procRoot">Where procfs is mounted; tests pass a directory of their own.</param>
    public static List<ProcStat> Snapshot(string procRoot = "/proc")
    {
        var entries = new List<ProcStat>(256);
        Span<byte> buffer = stackalloc byte[1024];
        foreach (var directory in Directory.EnumerateDirectories(procRoot))
        {
            var name = Path.GetFileName(directory.AsSpan());
            if (name.Length == 0 || !char.IsAsciiDigit(name[0]) || !int.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out _))
            {
                continue;
            }

            if (TryReadStat(directory, buffer, out var entry))
            {
                entries.Add(entry);
            }
        }

        return entries;
    }

    /// <summary>Live (non-zombie) descendants of <paramref name="rootPid"/>, parents before children.</summary>
    public static List<ProcStat> LiveDescendants(int rootPid) => Descendants(Snapshot(), rootPid, includeZombies: false);

    /// <summary>
    /// Descendants of <paramref name="rootPid"/> (zombies too when <paramref name="includeZombies"/>), less
    /// <paramref name="excluded"/>'s children and everything below them: the command's tree, without the worker's own queries.
    /// </summary>
    public static List<ProcStat> Descendants(int rootPid, bool includeZombies, OwnChildren? excluded) =>
        excluded is null
            ? Descendants(Snapshot(), rootPid, includeZombies)
            : excluded.Excluding(isOwn => Descendants(Snapshot(), rootPid, includeZombies, isOwn));

    public static List<ProcStat> Descendants(List<ProcStat> snapshot, int rootPid, bool includeZombies, Func<int, bool>? skip = null)
    {
        var children = new Dictionary<int, List<ProcStat>>();
        foreach (var entry in snapshot)
        {
            if (!children.TryGetValue(entry.ParentPid, out var list))
            {
                children[entry.ParentPid] = list = [];
            }

            list.Add(entry);
        }

        var result = new List<ProcStat>();
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
                if (child.Pid == rootPid || (skip is not null && child.ParentPid == rootPid && skip(child.Pid)))
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

    private static bool TryReadStat(string processDirectory, Span<byte> buffer, out ProcStat entry)
    {
        entry = default;
        var length = ProcFiles.Read(Encoding.UTF8.GetBytes(processDirectory + "/stat\0"), buffer);
        return length > 0 && ProcStat.TryParse(buffer[..length], out entry);
    }
}
