using System.Diagnostics;
using System.Security.Cryptography;
using CliWrap;
using CliWrap.Buffered;
using WorkerNode.IntegrationTests.Infrastructure;

namespace WorkerNode.IntegrationTests.Output;

/// <summary>The output pumps: byte-exact log files at any volume, live files, and lenient, bounded tails.</summary>
public sealed class OutputTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("wn-output-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task AGibibyteOfOutputGivesTheSameFileAsTheShellWould()
    {
        const string generator = "yes 'worker-node output line: 0123456789 abcdefghijklmnopqrstuvwxyz' | head -c 1073741824";
        var byShell = Path.Combine(_directory, "shell.out");
        var byWorker = Path.Combine(_directory, "worker.out");
        await RunShellAsync($"{generator} > {byShell}");

        var result = await WorkerRun.RunAsync(["run", "--stdout", byWorker, "--", "sh", "-c", generator], timeout: TimeSpan.FromMinutes(3));

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(1L << 30, new FileInfo(byWorker).Length);
        Assert.Equal(await HashAsync(byShell), await HashAsync(byWorker));
    }

    [Fact]
    public async Task BinaryOutputIsCopiedByteForByte()
    {
        var input = Path.Combine(_directory, "random.bin");
        var output = Path.Combine(_directory, "copy.bin");
        var bytes = new byte[24 << 20];
        new Random(42).NextBytes(bytes);
        await File.WriteAllBytesAsync(input, bytes);

        var result = await WorkerRun.RunAsync(["run", "--stdout", output, "--", "cat", input]);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(await HashAsync(input), await HashAsync(output));
    }

    [Fact]
    public async Task AFiveMegabyteLineArrivesWholeAndItsTailIsTheLastTenThousandCharacters()
    {
        var output = Path.Combine(_directory, "line.out");
        var report = Path.Combine(_directory, "report.json");

        var result = await WorkerRun.RunAsync(["run", "--stdout", output, "--report", report, "--", "sh", "-c", "head -c 5000000 /dev/zero | tr '\\0' x"]);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(5_000_000, new FileInfo(output).Length);
        var tail = JsonFile.Read(report).GetProperty("stdout_tail").GetString();
        Assert.Equal(new string('x', 10_000), tail);
    }

    [Fact]
    public async Task InvalidUtf8BecomesReplacementCharactersInTheTail()
    {
        var report = Path.Combine(_directory, "report.json");

        await WorkerRun.RunAsync(["run", "--stdout", "/dev/null", "--report", report, "--", "sh", "-c", "printf 'ok \\377\\376 caf\\303\\251 end\\303'"]);

        Assert.Equal("ok \uFFFD\uFFFD café end\uFFFD", JsonFile.Read(report).GetProperty("stdout_tail").GetString());
    }

    [Fact]
    public async Task TheTailCountsCharactersAndNeverSplitsOne()
    {
        var report = Path.Combine(_directory, "report.json");

        // 15,000 two-byte characters then 15,000 four-byte ones (surrogate pairs in .NET strings).
        await WorkerRun.RunAsync(["run", "--stderr", "/dev/null", "--report", report, "--", "sh", "-c",
            "i=0; while [ $i -lt 15000 ]; do printf 'é'; i=$((i+1)); done >&2; i=0; while [ $i -lt 15000 ]; do printf '\\360\\237\\230\\200'; i=$((i+1)); done >&2"], timeout: TimeSpan.FromMinutes(2));

        var tail = JsonFile.Read(report).GetProperty("stderr_tail").GetString()!;
        Assert.Equal(10_000, tail.EnumerateRunes().Count());
        Assert.All(tail.EnumerateRunes(), rune => Assert.Equal(0x1F600, rune.Value));
    }

    [Fact]
    public async Task TheLogFileGrowsWhileTheCommandRuns()
    {
        var output = Path.Combine(_directory, "live.out");
        await using var run = WorkerRun.Start(["run", "--stdout", output, "--", "sh", "-c", "echo first; sleep 30; echo second"]);

        var clock = Stopwatch.StartNew();
        while ((!File.Exists(output) || !File.ReadAllText(output).Contains("first", StringComparison.Ordinal)) && clock.Elapsed < TimeSpan.FromSeconds(20))
        {
            await Task.Delay(20);
        }

        Assert.Equal("first\n", File.ReadAllText(output));
        run.Signal(UnixSignals.Term);
        await run.WaitAsync();
    }

    [Fact]
    public async Task AClosedReaderGivesTheCommandSigpipeAsUnderAShell()
    {
        var result = await RunShellAsync($"{WorkerBinary.Path} run -- yes | head -n 1");

        Assert.Equal("y\n", result);
    }

    private static async Task<string> HashAsync(string path)
    {
        await using var stream = File.OpenRead(path);
        return Convert.ToHexString(await SHA256.HashDataAsync(stream));
    }

    private static async Task<string> RunShellAsync(string script)
    {
        using var cancellation = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var result = await Cli.Wrap("/bin/sh").WithArguments(["-c", script]).WithValidation(CommandResultValidation.None)
            .ExecuteBufferedAsync(cancellation.Token);
        return result.StandardOutput;
    }
}
