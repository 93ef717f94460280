using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;
using CliWrap;
using CliWrap.Buffered;
using WorkerNode.Harness.Hosting;

namespace WorkerNode.IntegrationTests.Harness;

/// <summary>The harness as a program, as scripts run it: one parsable line, a signal to stop, exit 2 on bad flags.</summary>
public sealed class HarnessProgramTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    [Theory]
    [InlineData("TERM")]
    [InlineData("INT")]
    public async Task Prints_one_listening_line_serves_and_exits_0_on_a_signal(string signal)
    {
        using var deadline = new CancellationTokenSource(Deadline);
        var stdout = Channel.CreateUnbounded<string>();
        var program = Harness("--route-prefix", "/api/v3")
            .WithStandardOutputPipe(PipeTarget.ToDelegate(line => stdout.Writer.TryWrite(line)))
            .ExecuteAsync(deadline.Token);
        try
        {
            var line = await stdout.Reader.ReadAsync(deadline.Token);
            Assert.Matches(@"^harness listening on http://127\.0\.0\.1:\d+$", line);
            using var http = new HttpClient();
            var baseUrl = new Uri(line["harness listening on ".Length..]);
            using var created = await http.PostAsync(new Uri(baseUrl, "admin/task_instances"), JsonBody("""{"command": "true"}"""), deadline.Token);
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);

            var kill = await Cli.Wrap("kill").WithArguments(["-" + signal, program.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture)])
                .WithValidation(CommandResultValidation.None).ExecuteAsync(deadline.Token);
            Assert.Equal(0, kill.ExitCode);
            var result = await program;

            Assert.Equal(0, result.ExitCode);
            Assert.False(stdout.Reader.TryRead(out var more), $"more output after the listening line: {more}");
        }
        finally
        {
            // A failed assertion must not leave the harness running: the forceful cancellation kills it.
            await deadline.CancelAsync();
            await program.Task.ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }

    [Fact]
    public async Task A_bad_flag_is_one_line_on_stderr_and_exit_2()
    {
        using var deadline = new CancellationTokenSource(Deadline);
        var program = await Harness("--port", "http").ExecuteBufferedAsync(deadline.Token);

        Assert.Equal(2, program.ExitCode);
        Assert.Equal("", program.StandardOutput);
        Assert.Equal("worker-node-harness: --port needs a number from 0 to 65535, not 'http' (see --help)" + Environment.NewLine, program.StandardError);
    }

    [Fact]
    public async Task Help_prints_the_usage_and_exits_0()
    {
        using var deadline = new CancellationTokenSource(Deadline);
        var program = await Harness("--help").ExecuteBufferedAsync(deadline.Token);

        Assert.Equal(0, program.ExitCode);
        Assert.Equal(HarnessCommandLine.Usage, program.StandardOutput);
    }

    [Fact]
    public async Task A_port_in_use_is_one_line_on_stderr_and_exit_1()
    {
        using var deadline = new CancellationTokenSource(Deadline);
        using var squatter = new TcpListener(IPAddress.Loopback, 0);
        squatter.Start();
        var port = ((IPEndPoint)squatter.LocalEndpoint).Port;
        var program = await Harness("--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture)).ExecuteBufferedAsync(deadline.Token);

        Assert.Equal(1, program.ExitCode);
        Assert.StartsWith($"worker-node-harness: cannot listen on port {port}: ", program.StandardError, StringComparison.Ordinal);
        Assert.Single(program.StandardError.TrimEnd().Split('\n'));
    }

    // The program is the harness assembly next to the tests, run by the dotnet host running them;
    // the deadline's cancellation kills it (CliWrap's forceful cancellation) should a test fail midway.
    private static Command Harness(params string[] args) =>
        Cli.Wrap(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
            .WithArguments([typeof(HarnessServer).Assembly.Location, .. args])
            .WithValidation(CommandResultValidation.None);

    private static StringContent JsonBody(string json) => new(json, System.Text.Encoding.UTF8, "application/json");
}
