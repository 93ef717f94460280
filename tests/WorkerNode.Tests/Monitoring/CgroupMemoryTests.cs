using WorkerNode.Monitoring;

namespace WorkerNode.Tests.Monitoring;

public sealed class CgroupMemoryTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("worker-node-cgroup-tests-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void Cgroup_v2_is_found_under_the_unified_mount()
    {
        var job = Cgroup("unified/system.slice/slurmstepd.scope/job_42", ("memory.current", "1000\n"), ("memory.peak", "5000\n"), ("memory.max", "max\n"), ("memory.events", "low 0\nhigh 0\nmax 3\noom 1\noom_kill 1\noom_group_kill 0\n"));

        var cgroup = CgroupMemory.Locate("0::/system.slice/slurmstepd.scope/job_42\n", MountInfo(("cgroup2", "/", "unified", "rw,nsdelegate")));

        Assert.NotNull(cgroup);
        Assert.Equal(CgroupVersion.V2, cgroup.Version);
        Assert.Equal(job, cgroup.Directory);
        Assert.Equal(1000, cgroup.ReadCurrent());
        Assert.Equal(5000, cgroup.ReadPeak());
        Assert.Null(cgroup.ReadLimit());
        Assert.Equal(1, cgroup.ReadOomKills());
    }

    [Fact]
    public void A_hybrid_host_uses_the_v1_memory_hierarchy_when_the_unified_one_has_no_memory_controller()
    {
        Cgroup("unified/job_7");
        var job = Cgroup(
            "memory/slurm/uid_1000/job_7",
            ("memory.usage_in_bytes", "2048\n"),
            ("memory.max_usage_in_bytes", "4096\n"),
            ("memory.limit_in_bytes", "1073741824\n"),
            ("memory.oom_control", "oom_kill_disable 0\nunder_oom 0\noom_kill 2\n"));
        var cgroups = "12:pids:/slurm/uid_1000/job_7\n4:memory:/slurm/uid_1000/job_7\n3:cpu,cpuacct:/slurm/uid_1000/job_7\n0::/job_7\n";
        var mounts = MountInfo(("cgroup2", "/", "unified", "rw"), ("cgroup", "/", "cpu", "rw,cpu,cpuacct"), ("cgroup", "/", "memory", "rw,memory"));

        var cgroup = CgroupMemory.Locate(cgroups, mounts);

        Assert.NotNull(cgroup);
        Assert.Equal(CgroupVersion.V1, cgroup.Version);
        Assert.Equal(job, cgroup.Directory);
        Assert.Equal(2048, cgroup.ReadCurrent());
        Assert.Equal(4096, cgroup.ReadPeak());
        Assert.Equal(1L << 30, cgroup.ReadLimit());
        Assert.Equal(2, cgroup.ReadOomKills());
    }

    [Fact]
    public void V1s_page_aligned_long_max_means_no_limit()
    {
        Cgroup("memory/job", ("memory.usage_in_bytes", "1\n"), ("memory.limit_in_bytes", "9223372036854771712\n"));

        var cgroup = CgroupMemory.Locate("4:memory:/job\n", MountInfo(("cgroup", "/", "memory", "rw,memory")));

        Assert.Null(cgroup!.ReadLimit());
        Assert.Null(cgroup.ReadOomKills());
    }

    [Fact]
    public void A_mount_of_a_sub_cgroup_holds_the_paths_below_it()
    {
        var inner = Cgroup("memory/task_0", ("memory.usage_in_bytes", "1\n"));

        var cgroup = CgroupMemory.Locate("4:memory:/docker/abc/task_0\n", MountInfo(("cgroup", "/docker/abc", "memory", "rw,memory")));

        Assert.Equal(inner, cgroup!.Directory);
    }

    [Fact]
    public void Escaped_characters_in_a_mount_point_are_decoded()
    {
        var job = Cgroup("my cgroups/job", ("memory.current", "1\n"));

        var cgroup = CgroupMemory.Locate("0::/job\n", MountInfo(("cgroup2", "/", "my\\040cgroups", "rw")));

        Assert.Equal(job, cgroup!.Directory);
    }

    [Fact]
    public void The_root_cgroup_is_left_out_because_its_figures_are_the_whole_machines()
    {
        Cgroup("memory", ("memory.usage_in_bytes", "1\n"));
        Cgroup("unified");

        Assert.Null(CgroupMemory.Locate("4:memory:/\n0::/\n", MountInfo(("cgroup2", "/", "unified", "rw"), ("cgroup", "/", "memory", "rw,memory"))));
    }

    [Theory]
    [InlineData("0::/job\n", "")]
    [InlineData("", "")]
    [InlineData("4:cpu:/job\n", "cgroup / memory rw,memory")]
    [InlineData("0::/job\n", "cgroup2 / unified rw")]
    public void Without_a_readable_memory_cgroup_there_is_none(string cgroups, string mount)
    {
        Cgroup("unified/job");
        var parts = mount.Split(' ');
        var mounts = mount.Length == 0 ? string.Empty : MountInfo((parts[0], parts[1], parts[2], parts[3]));

        Assert.Null(CgroupMemory.Locate(cgroups, mounts));
    }

    [Fact]
    public void Nothing_to_read_means_no_cgroup()
    {
        Assert.Null(CgroupMemory.Locate(null, "anything"));
        Assert.Null(CgroupMemory.Locate("0::/\n", null));
    }

    private string Cgroup(string relative, params (string Name, string Content)[] files)
    {
        var directory = Path.Combine(_root, relative);
        Directory.CreateDirectory(directory);
        foreach (var (name, content) in files)
        {
            File.WriteAllText(Path.Combine(directory, name), content);
        }

        return directory;
    }

    /// <summary>mountinfo lines for cgroup mounts at directories below the test's root (the mount point may hold \040 escapes).</summary>
    private string MountInfo(params (string Type, string Root, string MountPoint, string SuperOptions)[] mounts)
    {
        var lines = new List<string> { "22 1 8:1 / / rw,relatime shared:1 - ext4 /dev/vda rw" };
        var id = 30;
        foreach (var (type, root, mountPoint, superOptions) in mounts)
        {
            lines.Add($"{id++} 22 0:{id} {root} {_root}/{mountPoint} rw,nosuid,nodev,noexec,relatime shared:{id} - {type} {type} {superOptions}");
        }

        return string.Join('\n', lines) + "\n";
    }
}
