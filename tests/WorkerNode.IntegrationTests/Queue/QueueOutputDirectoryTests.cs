using WorkerNode.IntegrationTests.Infrastructure;

namespace WorkerNode.IntegrationTests.Queue;

/// <summary>--output-dir is created and checked like the other directories the worker writes into (issue 14).</summary>
public sealed class QueueOutputDirectoryTests
{
    [Fact]
    public async Task AMissingOutputDirectoryIsCreatedOwnerOnly()
    {
        await using var redis = await RedisServer.StartAsync();
        var root = Directory.CreateTempSubdirectory("wn-queue-outdir-").FullName;
        try
        {
            var output = Path.Combine(root, "new", "out");
            await redis.PushAsync("jobs", """{"id":"hello","command":"echo hi"}""");

            var result = await WorkerRun.RunAsync(["queue", "--redis", redis.Url, "--queue", "jobs", "--idle-exit", "1s", "--output-dir", output]);

            Assert.True(result.ExitCode == 0, result.ToString());
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(output));
            Assert.Equal("hi\n", File.ReadAllText(Path.Combine(output, "hello.out")));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public async Task AWorldWritableOutputDirectoryWithoutTheStickyBitIsRefusedBeforeAnyItemIsTaken()
    {
        await using var redis = await RedisServer.StartAsync();
        var open = Directory.CreateTempSubdirectory("wn-queue-open-").FullName;
        try
        {
            File.SetUnixFileMode(open, (UnixFileMode)0b111_111_111);
            await redis.PushAsync("jobs", "true");

            var result = await WorkerRun.RunAsync(["queue", "--redis", redis.Url, "--queue", "jobs", "--idle-exit", "1s", "--output-dir", open]);

            Assert.True(result.ExitCode == 198, result.ToString());
            Assert.Contains("writable by everyone and has no sticky bit", result.Stderr, StringComparison.Ordinal);
            Assert.Equal("1", await redis.CliAsync("LLEN", "jobs"));
            Assert.Empty(Directory.GetFileSystemEntries(open));
        }
        finally
        {
            Directory.Delete(open, recursive: true);
        }
    }
}
