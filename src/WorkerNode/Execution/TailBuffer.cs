using System.Text;

namespace WorkerNode.Execution;

/// <summary>
/// The last characters of a stream, with memory bounded whatever the volume. It keeps raw bytes
/// (four per character, the UTF-8 worst case) and decodes only when asked, so the output hot
/// path is a memory copy; decoding is lenient (invalid UTF-8 becomes U+FFFD) and never starts
/// inside a multi-byte character or a surrogate pair. Characters are counted as Unicode scalar
/// values, as Python's str slicing counts them.
/// </summary>
public sealed class TailBuffer
{
    private static readonly UTF8Encoding Lenient = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false);

    private readonly byte[] _ring;
    private readonly int _maxCharacters;
    private readonly Lock _gate = new();
    private long _total;

    public TailBuffer(int maxCharacters = 10_000)
    {
        _maxCharacters = maxCharacters;

        // Four bytes per character (the UTF-8 worst case) plus three: the oldest bytes may be the end
        // of a character whose start was dropped, and are skipped, and there must still be enough
        // whole characters after them. An invalid byte decodes as one U+FFFD, so never fewer characters.
        // Uninitialised: only bytes written are ever read back, and zeroing two 40 KB rings was 3 % of
        // the CPU time of `run -- true`, which writes nothing (perf).
        _ring = GC.AllocateUninitializedArray<byte>((maxCharacters * 4) + 3);
    }

    public void Append(ReadOnlySpan<byte> data)
    {
        lock (_gate)
        {
            _total += data.Length;
            if (data.Length >= _ring.Length)
            {
                // Only the last ring's worth counts, but it must land where ToString looks for it:
                // at the ring position of its offset in the stream, not at the ring's start.
                data = data[^_ring.Length..];
            }

            var start = (int)((_total - data.Length) % _ring.Length);
            var first = Math.Min(data.Length, _ring.Length - start);
            data[..first].CopyTo(_ring.AsSpan(start));
            data[first..].CopyTo(_ring);
        }
    }

    /// <summary>The tail as text: at most the configured number of characters.</summary>
    public override string ToString()
    {
        byte[] bytes;
        bool truncated;
        lock (_gate)
        {
            truncated = _total > _ring.Length;
            var kept = (int)Math.Min(_total, _ring.Length);
            bytes = new byte[kept];
            var start = (int)((_total - kept) % _ring.Length);
            var first = Math.Min(kept, _ring.Length - start);
            _ring.AsSpan(start, first).CopyTo(bytes);
            _ring.AsSpan(0, kept - first).CopyTo(bytes.AsSpan(first));
        }

        var offset = 0;
        if (truncated)
        {
            // The oldest bytes may be the end of a character whose start was dropped: skip them.
            while (offset < bytes.Length && offset < 3 && (bytes[offset] & 0xC0) == 0x80)
            {
                offset++;
            }
        }

        var text = Lenient.GetString(bytes, offset, bytes.Length - offset);
        return LastCharacters(text, _maxCharacters);
    }

    private static string LastCharacters(string text, int count)
    {
        if (text.Length <= count)
        {
            return text;
        }

        var index = text.Length;
        for (var taken = 0; taken < count && index > 0; taken++)
        {
            index--;
            if (index > 0 && char.IsLowSurrogate(text[index]) && char.IsHighSurrogate(text[index - 1]))
            {
                index--;
            }
        }

        return text[index..];
    }
}
