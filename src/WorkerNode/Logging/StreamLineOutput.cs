namespace WorkerNode.Logging;

/// <summary>
/// Lines written straight into a stream, on the caller's thread: for in-memory logs (tests, captures), where a
/// write cannot block. A descriptor that may be a pipe goes through <see cref="DescriptorLineWriter"/> instead.
/// </summary>
public sealed class StreamLineOutput : LogLineOutput
{
    private readonly Stream _stream;
    private readonly Lock _gate = new();

    public StreamLineOutput(Stream stream) => _stream = stream;

    public override void WriteLine(ReadOnlySpan<byte> line)
    {
        lock (_gate)
        {
            try
            {
                _stream.Write(line);
            }
            catch (IOException)
            {
                // A log line is never worth failing the command or its report for.
            }
            catch (ObjectDisposedException)
            {
            }
        }
    }
}
