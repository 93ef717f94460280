using System.Globalization;

namespace WorkerNode.Tests.Monitoring;

/// <summary>A directory laid out like /proc, with processes the test writes and removes.</summary>
internal sealed class FakeProc : IDisposable
{
    public FakeProc(int rootPid, int rootThreads = 3, bool childrenFiles = true)
    {
        Root = Directory.CreateTempSubdirectory("worker-node-fake-proc-").FullName;
        RootPid = rootPid;
        ChildrenFiles = childrenFiles;
        Process(rootPid, parent: 1, threads: rootThreads, rssPages: 6000);
        File.WriteAllText(Path.Combine(Root, $"{rootPid}", "status"), "Name:\tworker-node\nVmPeak:\t 300000 kB\nVmHWM:\t   24000 kB\nVmRSS:\t   20000 kB\n");
    }

    public string Root { get; }

    public int RootPid { get; }

    public bool ChildrenFiles { get; }

    /// <summary>Writes /proc/PID/{stat,io,smaps_rollup} and one task directory per thread, the first named PID.</summary>
    public void Process(
        int pid,
        int parent,
        char state = 'S',
        long userTicks = 0,
        long systemTicks = 0,
        long childrenUserTicks = 0,
        long childrenSystemTicks = 0,
        int threads = 1,
        ulong startTicks = 1000,
        long rssPages = 100,
        long pssKib = 200,
        long rchar = 0,
        long wchar = 0,
        long readBytes = 0,
        long writeBytes = 0)
    {
        var directory = Path.Combine(Root, pid.ToString(CultureInfo.InvariantCulture));
        Directory.CreateDirectory(directory);
        File.WriteAllText(
            Path.Combine(directory, "stat"),
            string.Create(CultureInfo.InvariantCulture, $"{pid} (proc {pid}) {state} {parent} {pid} {pid} 0 -1 4194304 10 0 0 0 {userTicks} {systemTicks} {childrenUserTicks} {childrenSystemTicks} 20 0 {threads} 0 {startTicks} 1000000 {rssPages} 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0\n"));
        File.WriteAllText(
            Path.Combine(directory, "io"),
            string.Create(CultureInfo.InvariantCulture, $"rchar: {rchar}\nwchar: {wchar}\nsyscr: 1\nsyscw: 1\nread_bytes: {readBytes}\nwrite_bytes: {writeBytes}\ncancelled_write_bytes: 0\n"));
        File.WriteAllText(
            Path.Combine(directory, "smaps_rollup"),
            string.Create(CultureInfo.InvariantCulture, $"5636-7fff ---p 00000000 00:00 0 [rollup]\nRss: {rssPages * 4} kB\nPss: {pssKib} kB\nPss_Dirty: 1 kB\n"));
        for (var thread = 0; thread < threads; thread++)
        {
            var task = Path.Combine(directory, "task", (pid + thread).ToString(CultureInfo.InvariantCulture));
            Directory.CreateDirectory(task);
            if (ChildrenFiles)
            {
                File.WriteAllText(Path.Combine(task, "children"), string.Empty);
            }
        }
    }

    /// <summary>Sets the children list of thread <paramref name="tid"/> of <paramref name="pid"/> (the kernel's format: "12 15 ").</summary>
    public void Children(int pid, params int[] children) => ThreadChildren(pid, pid, children);

    public void ThreadChildren(int pid, int tid, params int[] children) =>
        File.WriteAllText(Path.Combine(Root, $"{pid}", "task", $"{tid}", "children"), string.Concat(children.Select(child => $"{child} ")));

    /// <summary>The process has been reaped: its directory disappears.</summary>
    public void Remove(int pid) => Directory.Delete(Path.Combine(Root, $"{pid}"), recursive: true);

    public void Dispose() => Directory.Delete(Root, recursive: true);
}
