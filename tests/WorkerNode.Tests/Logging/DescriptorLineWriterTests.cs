using System.Text;
using WorkerNode.Interop;
using WorkerNode.Logging;

namespace WorkerNode.Tests.Logging;

/// <summary>The log's descriptor writer never holds its caller: a pipe nobody reads, /dev/full, a closed descriptor.</summary>
public sealed class DescriptorLineWriterTests
{
    private static readonly byte[] Line = Encoding.UTF8.GetBytes(new string('x', 199) + "\n");

    [Fact(Timeout = 60_000)]
    public async Task A_pipe_nobody_reads_drops_and_counts_then_says_how_many_once_it_is_read()
    {
        await Task.Yield();
        var (read, write) = FileDescriptors.CreatePipe();
        try
        {
            FileDescriptors.TryGrowPipe(write, 4096);
            var writer = new DescriptorLineWriter(write);

            // Far more than the pipe and the queue hold: every call returns, the overflow is counted.
            for (var i = 0; i < 5 * DescriptorLineWriter.MaxQueuedLines; i++)
            {
                writer.WriteLine(Line);
            }

            Assert.True(writer.DroppedTotal > 0);
            Assert.False(writer.Flush(TimeSpan.FromMilliseconds(200)));

            // The reader comes back: everything queued arrives, then one line with the count. The descriptors are
            // closed only once the writer is idle: a write into a closed (and reused) number would hit someone else's file.
            var reading = Task.Run(() => ReadToEnd(read));
            Assert.True(writer.Flush(TimeSpan.FromSeconds(30)));
            FileDescriptors.Close(write);
            write = -1;
            var received = await reading;

            // Once per recovery: normally one line; two if the writer caught up while the loop above was still dropping.
            var notes = received.Split('\n').Where(line => line.Contains("log lines dropped", StringComparison.Ordinal)).ToList();
            Assert.NotEmpty(notes);
            Assert.All(notes, note => Assert.Matches("^worker-node: [0-9]+ log lines dropped: the log output could not be written$", note));
            Assert.Equal(writer.DroppedTotal, notes.Sum(note => long.Parse(note.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture)));
            Assert.Equal(5 * DescriptorLineWriter.MaxQueuedLines, received.Split('\n').Count(line => line == Encoding.UTF8.GetString(Line).TrimEnd('\n')) + writer.DroppedTotal);
        }
        finally
        {
            FileDescriptors.Close(read);
            FileDescriptors.Close(write);
        }
    }

    [Fact(Timeout = 30_000)]
    public async Task Dev_full_drops_every_line_and_the_flush_says_so_without_waiting_out_its_bound()
    {
        await using var full = new FileStream("/dev/full", FileMode.Open, FileAccess.Write);
        var writer = new DescriptorLineWriter((int)full.SafeFileHandle.DangerousGetHandle());

        writer.WriteLine(Line);
        writer.WriteLine(Line);

        Assert.False(writer.Flush(TimeSpan.FromSeconds(10)));
        Assert.Equal(2, writer.DroppedTotal);
    }

    [Fact(Timeout = 30_000)]
    public async Task A_descriptor_not_open_for_writing_drops_every_line()
    {
        await Task.Yield();

        // The read end of a pipe: write(2) fails with EBADF, as on a closed descriptor, but the number stays ours.
        var (read, write) = FileDescriptors.CreatePipe();
        try
        {
            var writer = new DescriptorLineWriter(read);

            writer.WriteLine(Line);

            Assert.False(writer.Flush(TimeSpan.FromSeconds(10)));
            Assert.Equal(1, writer.DroppedTotal);
        }
        finally
        {
            FileDescriptors.Close(read);
            FileDescriptors.Close(write);
        }
    }

    [Fact(Timeout = 30_000)]
    public async Task Lines_arrive_whole_and_in_order()
    {
        await Task.Yield();
        var (read, write) = FileDescriptors.CreatePipe();
        try
        {
            var writer = new DescriptorLineWriter(write);
            for (var i = 0; i < 100; i++)
            {
                writer.WriteLine(Encoding.UTF8.GetBytes($"line {i}\n"));
            }

            Assert.True(writer.Flush(TimeSpan.FromSeconds(10)));
            FileDescriptors.Close(write);
            write = -1;
            var received = new StringBuilder();
            var buffer = new byte[65536];
            long count;
            while ((count = FileDescriptors.Read(read, buffer)) > 0)
            {
                received.Append(Encoding.UTF8.GetString(buffer, 0, (int)count));
            }

            Assert.Equal(string.Concat(Enumerable.Range(0, 100).Select(i => $"line {i}\n")), received.ToString());
            Assert.Equal(0, writer.DroppedTotal);
        }
        finally
        {
            FileDescriptors.Close(read);
            FileDescriptors.Close(write);
        }
    }

    private static string ReadToEnd(int fd)
    {
        var received = new StringBuilder();
        var buffer = new byte[65536];
        long count;
        while ((count = FileDescriptors.Read(fd, buffer)) > 0)
        {
            received.Append(Encoding.UTF8.GetString(buffer, 0, (int)count));
        }

        return received.ToString();
    }
}
