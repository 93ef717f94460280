using System.Buffers.Text;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using WorkerNode.Execution;
using WorkerNode.Interop;

namespace WorkerNode.Monitoring;

/// <summary>
/// Samples every descendant of the worker (the command, its children, and orphans reparented to the worker):
/// resident and proportional memory, CPU times and I/O counters from /proc. Walks only the tree, through
/// /proc/PID/task/TID/children, falling back to a scan of /proc where the kernel has no children files. Buffers
/// are reused between samples, so a sample of a steady tree allocates next to nothing.
/// </summary>
/// <remarks>
/// I/O of a process that has ended is approximated by its last sample, and only when no parent in the tree is
/// left to inherit it: a parent that reaps a child adds the child's final counters to its own (the kernel does
/// this in wait), so counting the child's last sample as well would count it twice. What a process did between
/// its last sample and its end is therefore missing from rchar and wchar; read_bytes and write_bytes, and CPU
/// times, get exact figures for reaped processes from the kernel's rusage instead (see <see cref="UsageAccumulator"/>).
/// </remarks>
internal sealed class ProcessTreeSampler
{
    private const int BufferBytes = 64 * 1024;

    private readonly string _procRoot;
    private readonly byte[] _procRootBytes;
    private readonly int _rootPid;
    private readonly bool _measurePss;
    private readonly long _pageSize;
    private readonly bool _childrenFiles;
    // Uninitialised: each read fills what it uses, and zeroing 64 KB at start-up was 2 % of the CPU
    // time of `run -- true` (perf); a short-lived command is sampled once or twice.
    private readonly byte[] _buffer = GC.AllocateUninitializedArray<byte>(BufferBytes);
    private readonly byte[] _path = new byte[512];
    private readonly Dictionary<int, Tracked> _tracked = new();
    private readonly List<int> _gone = new();
    private int[] _pending = new int[64];
    private int _generation;
    private IoCounters _departed;

    /// <param name="rootPid">The worker: everything below it is sampled, not the worker itself.</param>
    /// <param name="measurePss">Read /proc/PID/smaps_rollup too (costlier: the kernel walks the page tables).</param>
    /// <param name="procRoot">Where procfs is mounted; tests pass a directory of their own.</param>
    /// <param name="pageSize">Bytes per page, for the resident set in /proc/PID/stat.</param>
    public ProcessTreeSampler(int rootPid, bool measurePss, string procRoot, long pageSize)
    {
        _rootPid = rootPid;
        _measurePss = measurePss;
        _procRoot = procRoot;
        _procRootBytes = Encoding.UTF8.GetBytes(procRoot.TrimEnd('/') + "/");
        _pageSize = pageSize;
        // CONFIG_PROC_CHILDREN is on in every mainstream kernel, but not guaranteed.
        _childrenFiles = File.Exists($"{procRoot}/{rootPid}/task/{rootPid}/children");
    }

    /// <summary>False when the kernel offers no children files and each sample scans all of /proc.</summary>
    public bool WalksChildrenFiles => _childrenFiles;

    public static ProcessTreeSampler ForWorker(bool measurePss) =>
        new(Environment.ProcessId, measurePss, "/proc", ProcessControl.PageSize());

    /// <summary>Reads the tree as it is now.</summary>
    public TreeSample Sample()
    {
        _generation++;
        var totals = new Totals();
        if (!_childrenFiles || !WalkChildren(ref totals))
        {
            totals = new Totals();
            _generation++;
            foreach (var process in ProcessTable.Descendants(ProcessTable.Snapshot(_procRoot), _rootPid, includeZombies: true))
            {
                Visit(process.Pid, ref totals, out _);
            }
        }

        ForgetDeparted();
        return new TreeSample(
            totals.Processes,
            totals.ResidentPages * _pageSize,
            _measurePss ? totals.PssBytes : null,
            totals.UserTicks,
            totals.SystemTicks,
            totals.Io,
            _departed);
    }

    /// <summary>The peak RSS (VmHWM) of the root process itself, in bytes; 0 when it cannot be read.</summary>
    public long ReadRootPeakRss()
    {
        var length = ProcFiles.Read(PathOf(_rootPid, "status"u8), _buffer);
        return length > 0 && ProcFormats.TryGetValue(_buffer.AsSpan(0, length), "VmHWM"u8, out var kib) ? kib * 1024 : 0;
    }

    /// <summary>Depth first from the worker; false when a children list did not fit the buffer (then the caller scans).</summary>
    private bool WalkChildren(ref Totals totals)
    {
        var count = 0;
        if (!PushChildren(_rootPid, threads: 0, ref count))
        {
            return false;
        }

        while (count > 0)
        {
            var pid = _pending[--count];
            if (Visit(pid, ref totals, out var threads) && !PushChildren(pid, threads, ref count))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Records one process; false when it is gone or was seen already in this sample.</summary>
    private bool Visit(int pid, ref Totals totals, out int threads)
    {
        threads = 0;
        var length = ProcFiles.Read(PathOf(pid, "stat"u8), _buffer);
        if (length <= 0 || !ProcStat.TryParse(_buffer.AsSpan(0, length), out var stat))
        {
            return false;
        }

        ref var tracked = ref CollectionsMarshal.GetValueRefOrAddDefault(_tracked, pid, out var known);
        if (known && tracked.Generation == _generation)
        {
            return false;
        }

        if (known && tracked.StartTicks != stat.StartTicks)
        {
            // The pid was reused between samples: the old process ended. Reaped by the worker, its I/O is
            // kept here; reaped by a parent in the tree, the parent's counters hold it.
            if (tracked.ParentPid == _rootPid)
            {
                _departed += tracked.Io;
            }

            tracked.Io = default;
        }

        tracked.Generation = _generation;
        tracked.ParentPid = stat.ParentPid;
        tracked.StartTicks = stat.StartTicks;
        length = ProcFiles.Read(PathOf(pid, "io"u8), _buffer);
        if (length > 0 && ProcFormats.TryParseIo(_buffer.AsSpan(0, length), out var io))
        {
            tracked.Io = io;
        }

        totals.Io += tracked.Io;
        totals.UserTicks += stat.UserTicks + stat.ChildrenUserTicks;
        totals.SystemTicks += stat.SystemTicks + stat.ChildrenSystemTicks;
        threads = stat.Threads;
        if (stat.IsZombie)
        {
            return true;
        }

        totals.Processes++;
        totals.ResidentPages += stat.ResidentPages;
        if (_measurePss)
        {
            length = ProcFiles.Read(PathOf(pid, "smaps_rollup"u8), _buffer);
            if (length > 0 && ProcFormats.TryParsePss(_buffer.AsSpan(0, length), out var pss))
            {
                totals.PssBytes += pss;
            }
        }

        return true;
    }

    /// <summary>
    /// Queues the children of every thread of <paramref name="pid"/>: a child belongs to the thread that forked
    /// it, so a single-threaded process has one list and a multi-threaded one (the worker, a JVM) one per thread.
    /// </summary>
    private bool PushChildren(int pid, int threads, ref int count)
    {
        if (threads == 1)
        {
            return PushChildrenOf(pid, pid, ref count);
        }

        try
        {
            foreach (var task in Directory.EnumerateDirectories($"{_procRoot}/{pid}/task"))
            {
                if (int.TryParse(Path.GetFileName(task.AsSpan()), NumberStyles.None, CultureInfo.InvariantCulture, out var tid)
                    && !PushChildrenOf(pid, tid, ref count))
                {
                    return false;
                }
            }
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            // The process ended while being read: it has no children left to walk.
        }

        return true;
    }

    private bool PushChildrenOf(int pid, int tid, ref int count)
    {
        var length = ProcFiles.Read(ChildrenPathOf(pid, tid), _buffer);
        if (length >= _buffer.Length)
        {
            return false;
        }

        var list = _buffer.AsSpan(0, Math.Max(length, 0));
        var position = 0;
        while (ProcFormats.TryReadNextPid(list, ref position, out var child))
        {
            if (count == _pending.Length)
            {
                Array.Resize(ref _pending, _pending.Length * 2);
            }

            _pending[count++] = child;
        }

        return true;
    }

    /// <summary>Drops processes not seen in this sample, keeping the I/O that no parent in the tree inherits.</summary>
    private void ForgetDeparted()
    {
        _gone.Clear();
        foreach (var (pid, tracked) in _tracked)
        {
            if (tracked.Generation == _generation)
            {
                continue;
            }

            if (tracked.ParentPid == _rootPid || !IsInTree(tracked.ParentPid))
            {
                _departed += tracked.Io;
            }

            _gone.Add(pid);
        }

        foreach (var pid in _gone)
        {
            _tracked.Remove(pid);
        }
    }

    private bool IsInTree(int pid) => _tracked.TryGetValue(pid, out var tracked) && tracked.Generation == _generation;

    private ReadOnlySpan<byte> PathOf(int pid, ReadOnlySpan<byte> file)
    {
        var length = Append(0, _procRootBytes);
        length = AppendNumber(length, pid);
        length = Append(length, "/"u8);
        length = Append(length, file);
        return Terminate(length);
    }

    private ReadOnlySpan<byte> ChildrenPathOf(int pid, int tid)
    {
        var length = Append(0, _procRootBytes);
        length = AppendNumber(length, pid);
        length = Append(length, "/task/"u8);
        length = AppendNumber(length, tid);
        length = Append(length, "/children"u8);
        return Terminate(length);
    }

    private int Append(int at, ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(_path.AsSpan(at));
        return at + bytes.Length;
    }

    private int AppendNumber(int at, int number)
    {
        Utf8Formatter.TryFormat(number, _path.AsSpan(at), out var written);
        return at + written;
    }

    private ReadOnlySpan<byte> Terminate(int length)
    {
        _path[length] = 0;
        return _path.AsSpan(0, length + 1);
    }

    private struct Tracked
    {
        public int Generation;
        public int ParentPid;
        public ulong StartTicks;
        public IoCounters Io;
    }

    private struct Totals
    {
        public int Processes;
        public long ResidentPages;
        public long PssBytes;
        public long UserTicks;
        public long SystemTicks;
        public IoCounters Io;
    }
}
