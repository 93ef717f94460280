using System.Buffers;

namespace WorkerNode.Jobmon.Transport;

/// <summary>
/// Reads an answer's body up to a bound. Every answer of this protocol is a few hundred bytes (a
/// log_running answer carries the command: kilobytes at most); a server or proxy that sends
/// megabytes is not giving an answer, and buffering it whole drove a worker to 1.8 GB (issue 14).
/// The bound counts what the content stream yields, i.e. after gzip decompression.
/// </summary>
internal static class BoundedAnswer
{
    /// <summary>256 KiB: far above any real answer, far below anything that could hurt a node.</summary>
    public const int MaxBytes = 256 * 1024;

    private const int ChunkBytes = 16 * 1024;

    /// <summary>The whole body, or null as soon as it proves longer than <paramref name="maxBytes"/> (the rest is never read).</summary>
    public static async Task<byte[]?> ReadAsync(HttpContent content, int maxBytes, CancellationToken cancellationToken)
    {
        if (content.Headers.ContentLength is { } announced && announced > maxBytes)
        {
            return null;
        }

        using var body = new MemoryStream();
        var chunk = ArrayPool<byte>.Shared.Rent(ChunkBytes);
        try
        {
            await using var stream = await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            int read;
            while ((read = await stream.ReadAsync(chunk.AsMemory(0, ChunkBytes), cancellationToken).ConfigureAwait(false)) > 0)
            {
                if (body.Length + read > maxBytes)
                {
                    return null;
                }

                body.Write(chunk, 0, read);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }

        return body.ToArray();
    }
}
