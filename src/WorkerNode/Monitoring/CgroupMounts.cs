using System.Text;

namespace WorkerNode.Monitoring;

/// <summary>The cgroup filesystems of /proc/self/mountinfo, and where a cgroup path lies under them.</summary>
internal sealed class CgroupMounts
{
    private readonly List<Mount> _mounts;

    private CgroupMounts(List<Mount> mounts) => _mounts = mounts;

    /// <summary>
    /// Reads mountinfo lines: "ID PARENT MAJ:MIN ROOT MOUNTPOINT OPTIONS [OPTIONAL...] - FSTYPE SOURCE SUPEROPTIONS".
    /// Lines that do not parse are skipped.
    /// </summary>
    public static CgroupMounts Parse(string mountInfo)
    {
        var mounts = new List<Mount>();
        foreach (var line in mountInfo.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            // Six fixed fields, any optional ones, "-", then type, source and super options.
            var fields = line.Split(' ');
            var separator = fields.Length > 6 ? Array.IndexOf(fields, "-", 6) : -1;
            if (separator < 0 || separator + 3 >= fields.Length)
            {
                continue;
            }

            var type = fields[separator + 1];
            if (type is "cgroup" or "cgroup2")
            {
                mounts.Add(new Mount(type, Unescape(fields[3]), Unescape(fields[4]), fields[separator + 3].Split(',')));
            }
        }

        return new CgroupMounts(mounts);
    }

    /// <summary>
    /// The directory of <paramref name="cgroupPath"/> (as /proc/self/cgroup names it) under a mount of
    /// <paramref name="type"/> carrying <paramref name="superOption"/> (v1's controller name), or null. A mount
    /// whose root is a sub-cgroup (a container without a cgroup namespace) holds only the paths below that root.
    /// </summary>
    public string? Resolve(string type, string? superOption, string cgroupPath)
    {
        foreach (var mount in _mounts)
        {
            if (mount.Type != type || (superOption is not null && !mount.SuperOptions.Contains(superOption)))
            {
                continue;
            }

            if (mount.Root == "/")
            {
                return mount.MountPoint.TrimEnd('/') + (cgroupPath == "/" ? string.Empty : cgroupPath);
            }

            if (cgroupPath == mount.Root)
            {
                return mount.MountPoint;
            }

            if (cgroupPath.StartsWith(mount.Root + "/", StringComparison.Ordinal))
            {
                return mount.MountPoint.TrimEnd('/') + cgroupPath[mount.Root.Length..];
            }
        }

        return null;
    }

    /// <summary>mountinfo writes space, tab, newline and backslash in paths as octal escapes (\040).</summary>
    private static string Unescape(string field)
    {
        if (!field.Contains('\\', StringComparison.Ordinal))
        {
            return field;
        }

        var text = new StringBuilder(field.Length);
        for (var i = 0; i < field.Length; i++)
        {
            if (field[i] == '\\' && i + 3 < field.Length && IsOctal(field[i + 1]) && IsOctal(field[i + 2]) && IsOctal(field[i + 3]))
            {
                text.Append((char)(((field[i + 1] - '0') << 6) | ((field[i + 2] - '0') << 3) | (field[i + 3] - '0')));
                i += 3;
            }
            else
            {
                text.Append(field[i]);
            }
        }

        return text.ToString();
    }

    private static bool IsOctal(char character) => character is >= '0' and <= '7';

    private sealed record Mount(string Type, string Root, string MountPoint, string[] SuperOptions);
}
