namespace WorkerNode.Harness.Worker;

/// <summary>
/// A body of <paramref name="Length"/> bytes (a JSON string's opening, then spaces), written in chunks as
/// the client reads, never held whole; writing stops when the client goes away. No length is announced,
/// so the client cannot refuse it from the headers alone: it has to stop reading.
/// </summary>
internal sealed record StreamedBody(long Length)
{
    private const int ChunkBytes = 64 * 1024;

    public async Task WriteAsync(HttpContext context)
    {
        var chunk = new byte[ChunkBytes];
        Array.Fill(chunk, (byte)' ');
        "{\"status\": \""u8.CopyTo(chunk);
        try
        {
            for (long sent = 0; sent < Length && !context.RequestAborted.IsCancellationRequested; sent += ChunkBytes)
            {
                await context.Response.Body.WriteAsync(chunk.AsMemory(0, (int)Math.Min(ChunkBytes, Length - sent)), context.RequestAborted);
                chunk.AsSpan(0, 12).Fill((byte)' ');
            }
        }
        catch (OperationCanceledException)
        {
            // The client stopped reading, as it should.
        }
        catch (IOException)
        {
        }
    }
}
