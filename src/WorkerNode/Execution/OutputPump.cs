using WorkerNode.Interop;
using WorkerNode.Logging;

namespace WorkerNode.Execution;

/// <summary>
/// Copies one of the command's streams from its pipe to its sink as the bytes arrive (no line
/// buffering, so `tail -f` on a log file follows the command), keeping the tail. Runs on its own
/// thread blocked in read(): no CPU while the command is quiet, and one copy per chunk when it
/// is not. Memory is one buffer and one tail whatever the volume.
/// </summary>
internal sealed class OutputPump
{
    private const int ChunkBytes = 1 << 20;

    private readonly string _stream;
    private readonly int _readFd;
    private readonly OutputSink _sink;
    private readonly WorkerLog _log;
    private readonly TaskCompletionSource _finished = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _lostBytes;
    private string? _lossReason;

    private OutputPump(string stream, int readFd, OutputSink sink, WorkerLog log)
    {
        _stream = stream;
        _readFd = readFd;
        _sink = sink;
        _log = log;
    }

    public TailBuffer Tail { get; } = new();

    /// <summary>What could not be written to the sink, once the pump has finished; null when everything was.</summary>
    public OutputLoss? Loss => _lostBytes == 0 ? null : new OutputLoss(_stream, _sink.Target.DisplayPath, _lostBytes, _lossReason ?? "unknown error");

    /// <summary>Completes at end of file, when the last process holding the pipe's write end has closed it.</summary>
    public Task Finished => _finished.Task;

    /// <summary>Takes ownership of the pipe's read end.</summary>
    public static OutputPump Start(string stream, int readFd, OutputSink sink, WorkerLog log)
    {
        var pump = new OutputPump(stream, readFd, sink, log);
        var thread = new Thread(pump.Run) { IsBackground = true, Name = $"{stream} pump" };
        thread.Start();
        return pump;
    }

    private void Run()
    {
        var buffer = GC.AllocateUninitializedArray<byte>(ChunkBytes, pinned: true);
        var sinkFailed = false;
        try
        {
            while (true)
            {
                var count = FileDescriptors.Read(_readFd, buffer);
                if (count == 0)
                {
                    break;
                }

                if (count < 0)
                {
                    _log.Warning("cannot read the command's output", ("stream", _stream), ("error", Errno.Describe((int)-count)));
                    break;
                }

                var chunk = buffer.AsSpan(0, (int)count);
                Tail.Append(chunk);
                if (sinkFailed)
                {
                    _lostBytes += chunk.Length;
                    continue;
                }

                var error = _sink.Write(chunk, out var written);
                if (error == 0)
                {
                    continue;
                }

                sinkFailed = true;
                _lostBytes += chunk.Length - written;
                _lossReason = Errno.Describe(error);
                if (_sink.ClosesPipeOnWriteError && error == LibcConstants.EPipe)
                {
                    // Nobody reads our copy any more: let the command see a closed pipe too.
                    break;
                }

                _log.Warning(
                    "cannot write the command's output; the rest is kept only in the tail",
                    ("stream", _stream),
                    ("path", _sink.Target.DisplayPath),
                    ("error", Errno.Describe(error)));
            }
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            _log.Error("output pump failed", ("stream", _stream), ("error", exception.Message));
        }
        finally
        {
            FileDescriptors.Close(_readFd);
            _finished.TrySetResult();
        }
    }
}
