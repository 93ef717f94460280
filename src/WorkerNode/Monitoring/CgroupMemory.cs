using System.Text;
using WorkerNode.Interop;

namespace WorkerNode.Monitoring;

/// <summary>
/// The memory controller of the cgroup the worker (and so its command) runs in: under Slurm, the job's or the
/// step's cgroup; in a container, the container's. Reads current and peak usage, the limit, and the counter of
/// kernel OOM kills, from cgroup v2 or v1 files. Its figures cover every process of the cgroup (the worker
/// itself included) and the page cache they caused, so they are reported beside the tree's own figures, not
/// enforced.
/// </summary>
internal sealed class CgroupMemory
{
    // v1 writes "no limit" as LONG_MAX rounded down to a page; anything this large is no limit at all.
    private const long NoLimit = 1L << 62;

    private readonly byte[] _current;
    private readonly byte[] _peak;
    private readonly byte[] _limit;
    private readonly byte[] _events;
    private readonly byte[] _stat;
    private readonly byte[] _buffer = new byte[512];
    private byte[]? _statBuffer;

    private CgroupMemory(CgroupVersion version, string directory)
    {
        Version = version;
        Directory = directory;
        var v2 = version == CgroupVersion.V2;
        _current = PathBytes(directory, v2 ? "memory.current" : "memory.usage_in_bytes");
        _peak = PathBytes(directory, v2 ? "memory.peak" : "memory.max_usage_in_bytes");
        _limit = PathBytes(directory, v2 ? "memory.max" : "memory.limit_in_bytes");
        _events = PathBytes(directory, v2 ? "memory.events" : "memory.oom_control");
        _stat = PathBytes(directory, "memory.stat");
    }

    public CgroupVersion Version { get; }

    /// <summary>The cgroup's directory, e.g. /sys/fs/cgroup/system.slice/slurmstepd.scope/job_42/step_batch.</summary>
    public string Directory { get; }

    /// <summary>
    /// The worker's memory cgroup, or the ancestor that limits it when one does: Slurm (cgroup v1) limits
    /// the job and the step, one level or two above the task's own unlimited cgroup, and the kernel's OOM
    /// kill is counted where the limit is. Null when there is none to read (no cgroups, the root cgroup, no access).
    /// </summary>
    public static CgroupMemory? Find() => Locate(ProcFiles.ReadText("/proc/self/cgroup"), ProcFiles.ReadText("/proc/self/mountinfo"))?.Limiting();

    /// <summary>This cgroup, or the ancestor with the smallest limit (the nearest of equals); the walk ends where the controller's files end.</summary>
    internal CgroupMemory Limiting()
    {
        var best = this;
        var bestLimit = ReadLimit();
        var limitFile = Version == CgroupVersion.V2 ? "memory.max" : "memory.limit_in_bytes";
        for (var directory = Path.GetDirectoryName(Directory); directory is not null && File.Exists(Path.Combine(directory, limitFile)); directory = Path.GetDirectoryName(directory))
        {
            var candidate = new CgroupMemory(Version, directory);
            if (candidate.ReadLimit() is { } limit && (bestLimit is null || limit < bestLimit))
            {
                (best, bestLimit) = (candidate, limit);
            }
        }

        return best;
    }

    /// <summary>
    /// Finds the memory cgroup from the text of /proc/self/cgroup and /proc/self/mountinfo: cgroup v2 when the
    /// unified hierarchy has the memory controller here (memory.current exists), else v1's memory hierarchy.
    /// The root cgroup is left out: its figures are the whole machine's.
    /// </summary>
    internal static CgroupMemory? Locate(string? cgroups, string? mountInfo)
    {
        if (cgroups is null || mountInfo is null)
        {
            return null;
        }

        string? v2Path = null;
        string? v1Path = null;
        foreach (var line in cgroups.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            // hierarchy-ID:controller-list:cgroup-path; the path may itself hold ':'.
            var parts = line.Split(':', 3);
            if (parts.Length != 3)
            {
                continue;
            }

            if (parts[0] == "0" && parts[1].Length == 0)
            {
                v2Path = parts[2];
            }
            else if (parts[1].Split(',').Contains("memory"))
            {
                v1Path = parts[2];
            }
        }

        var mounts = CgroupMounts.Parse(mountInfo);
        if (v2Path is not null && mounts.Resolve("cgroup2", null, v2Path) is { } v2 && File.Exists(Path.Combine(v2, "memory.current")))
        {
            return new CgroupMemory(CgroupVersion.V2, v2);
        }

        if (v1Path is not null && v1Path != "/" && mounts.Resolve("cgroup", "memory", v1Path) is { } v1 && File.Exists(Path.Combine(v1, "memory.usage_in_bytes")))
        {
            return new CgroupMemory(CgroupVersion.V1, v1);
        }

        return null;
    }

    /// <summary>Bytes charged to the cgroup now.</summary>
    public long? ReadCurrent() => ReadNumber(_current);

    /// <summary>The highest usage since the cgroup was created (null on v2 kernels before 5.19, which lack memory.peak).</summary>
    public long? ReadPeak() => ReadNumber(_peak);

    /// <summary>The cgroup's memory limit; null when unlimited.</summary>
    public long? ReadLimit() => ReadNumber(_limit) is { } limit && limit < NoLimit ? limit : null;

    /// <summary>
    /// The page cache charged to the cgroup (v1 total_cache, v2 file): the kernel reclaims it before it
    /// kills, so it is no part of the usage that brings the OOM killer.
    /// </summary>
    public long? ReadFileCache()
    {
        _statBuffer ??= new byte[8192];
        var length = ProcFiles.Read(_stat, _statBuffer);
        var key = Version == CgroupVersion.V2 ? "file"u8 : "total_cache"u8;
        return length > 0 && ProcFormats.TryGetValue(_statBuffer.AsSpan(0, length), key, out var cache) ? cache : null;
    }

    /// <summary>How many processes of the cgroup the kernel's OOM killer has killed (null before Linux 4.13 on v1).</summary>
    public long? ReadOomKills()
    {
        var length = ProcFiles.Read(_events, _buffer);
        return length > 0 && ProcFormats.TryGetValue(_buffer.AsSpan(0, length), "oom_kill"u8, out var kills) ? kills : null;
    }

    private long? ReadNumber(byte[] path)
    {
        var length = ProcFiles.Read(path, _buffer);
        return length > 0 && ProcFormats.TryParseNumber(_buffer.AsSpan(0, length), out var value) ? value : null;
    }

    private static byte[] PathBytes(string directory, string file) => Encoding.UTF8.GetBytes(Path.Combine(directory, file) + "\0");
}
