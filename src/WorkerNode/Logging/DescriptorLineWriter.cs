using System.Text;
using WorkerNode.Interop;

namespace WorkerNode.Logging;

/// <summary>
/// Log lines for an inherited descriptor (stdout or stderr), written so that the worker's work never waits for
/// them: callers only put a line into a bounded queue; one background thread takes lines out and write(2)s them.
/// When the queue is full (the descriptor is a pipe nobody reads, a terminal paused with ^S, a hung NFS file) the
/// line is dropped and counted; a write that fails (closed descriptor, full disk, /dev/full) drops its line too.
/// The count is written once, as its own line, as soon as a write succeeds again, and tried once more at exit.
/// </summary>
/// <remarks>
/// Why a thread that may block rather than a non-blocking descriptor: O_NONBLOCK is a flag of the open file
/// description, shared with every process that holds the same pipe or terminal (the batch script's shell, the
/// distributor, sibling workers, the command in standalone mode). Setting it would make their writes fail with
/// EAGAIN. poll() then write() is no cure either: poll says a pipe is writable when PIPE_BUF bytes are free, and a
/// longer line, or a competing writer, can still block. So the writer thread alone may stay blocked, and nothing
/// else waits for it: at exit <see cref="Flush"/> waits a bounded time, then the process ends with the thread.
/// </remarks>
public sealed class DescriptorLineWriter : LogLineOutput
{
    /// <summary>Lines kept while the descriptor is not writable; past this, lines are dropped and counted.</summary>
    public const int MaxQueuedLines = 1024;

    /// <summary>Bytes kept while the descriptor is not writable (a bound on memory whatever the line lengths).</summary>
    public const int MaxQueuedBytes = 1 << 20;

    private readonly int _descriptor;
    private readonly Queue<byte[]> _queue = new();
    // Monitor, not Lock: the writer thread waits on it for lines (Monitor.Wait/Pulse).
    private readonly object _gate = new();
    private Func<long, byte[]> _droppedNote = DefaultNote;
    private Thread? _thread;
    private int _queuedBytes;
    private bool _writing;
    private bool _noteRequested;
    private long _dropped;
    private long _droppedTotal;

    public DescriptorLineWriter(int descriptor) => _descriptor = descriptor;

    /// <summary>Lines lost since the writer was made (dropped because the queue was full, or failed to write).</summary>
    public long DroppedTotal
    {
        get
        {
            lock (_gate)
            {
                return _droppedTotal;
            }
        }
    }

    /// <summary>Formats the line that reports dropped lines, in the log's own format (plain text until set).</summary>
    public void SetDroppedNote(Func<long, byte[]> note)
    {
        ArgumentNullException.ThrowIfNull(note);
        _droppedNote = note;
    }

    public override void WriteLine(ReadOnlySpan<byte> line)
    {
        lock (_gate)
        {
            if (_queue.Count >= MaxQueuedLines || _queuedBytes + line.Length > MaxQueuedBytes)
            {
                CountDropped();
                return;
            }

            _queue.Enqueue(line.ToArray());
            _queuedBytes += line.Length;
            EnsureThread();
            Monitor.PulseAll(_gate);
        }
    }

    /// <summary>
    /// Waits at most <paramref name="timeout"/> for the queued lines to be written and, if lines were dropped, for
    /// one try at the line saying how many. True when all was written; false when the descriptor is still blocked
    /// or failing (the caller goes on: the process may end with the writer thread blocked).
    /// </summary>
    public bool Flush(TimeSpan timeout)
    {
        var deadline = Environment.TickCount64 + (long)timeout.TotalMilliseconds;
        lock (_gate)
        {
            if (_dropped > 0)
            {
                _noteRequested = true;
                EnsureThread();
                Monitor.PulseAll(_gate);
            }

            while (_queue.Count > 0 || _writing || _noteRequested)
            {
                var left = deadline - Environment.TickCount64;
                if (left <= 0)
                {
                    return false;
                }

                Monitor.Wait(_gate, TimeSpan.FromMilliseconds(left));
            }

            return _dropped == 0;
        }
    }

    private void EnsureThread()
    {
        if (_thread is null)
        {
            // Started at the first line: a run that logs nothing pays nothing.
            _thread = new Thread(Drain) { IsBackground = true, Name = "worker-node log writer" };
            _thread.Start();
        }
    }

    // Called with the gate held.
    private void CountDropped()
    {
        _dropped++;
        _droppedTotal++;
    }

    private static byte[] DefaultNote(long dropped) =>
        Encoding.UTF8.GetBytes($"worker-node: {dropped} log lines dropped: the log output could not be written\n");

    private void Drain()
    {
        while (true)
        {
            byte[]? line = null;
            long dropped = 0;
            lock (_gate)
            {
                _writing = false;
                Monitor.PulseAll(_gate);
                while (_queue.Count == 0 && !_noteRequested)
                {
                    Monitor.Wait(_gate);
                }

                if (_queue.Count > 0)
                {
                    line = _queue.Dequeue();
                    _queuedBytes -= line.Length;
                }

                _noteRequested = false;
                _writing = true;
            }

            // Outside the gate: write(2) may block here for as long as the reader lets it, and callers never wait.
            var written = line is null || FileDescriptors.WriteAll(_descriptor, line) == 0;
            if (written)
            {
                // Counted now, not before the write: lines dropped while it was blocked are reported right after it.
                lock (_gate)
                {
                    dropped = _dropped;
                }
            }

            if (written && dropped > 0)
            {
                // Writing works (again): say once how many lines were lost meanwhile.
                written = FileDescriptors.WriteAll(_descriptor, _droppedNote(dropped)) == 0;
                if (written)
                {
                    lock (_gate)
                    {
                        _dropped -= dropped;
                    }
                }
            }

            if (!written && line is not null)
            {
                lock (_gate)
                {
                    CountDropped();
                }
            }
        }
    }
}
