namespace WorkerNode.Logging;

/// <summary>
/// A write-only stream whose every write is one line for a <see cref="LogLineOutput"/>: lets a
/// <see cref="StreamWriter"/> with AutoFlush (one write per WriteLine) write the one-line errors through the same
/// never-blocking writer as the log.
/// </summary>
public sealed class LineOutputStream : Stream
{
    private readonly LogLineOutput _output;

    public LineOutputStream(LogLineOutput output) => _output = output;

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        if (!buffer.IsEmpty)
        {
            _output.WriteLine(buffer);
        }
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Flush()
    {
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();
}
