namespace WorkerNode.Interop;

/// <summary>
/// A write-only stream over an inherited descriptor using plain write(2). FileStream would track
/// its own offset and use pwrite on a seekable descriptor, overwriting what others append to a
/// shared file (an sbatch output file holds the script's lines and ours).
/// </summary>
internal sealed class DescriptorStream : Stream
{
    private readonly int _descriptor;

    public DescriptorStream(int descriptor) => _descriptor = descriptor;

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
        var errno = FileDescriptors.WriteAll(_descriptor, buffer);
        if (errno != 0)
        {
            throw new IOException(Errno.Describe(errno), errno);
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
