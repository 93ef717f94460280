using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
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
        using var program = Start("--route-prefix", "/api/v3");
        try
        {
            var line = await program.StandardOutput.ReadLineAsync(deadline.Token);
            Assert.NotNull(line);
            Assert.Matches(@"^harness listening on http://127\.0\.0\.1:\d+$", line);
            using var http = new HttpClient();
            var baseUrl = new Uri(line["harness listening on ".Length..]);
            using var created = await http.PostAsync(new Uri(baseUrl, "admin/task_instances"), JsonBody("""{"command": "true"}"""), deadline.Token);
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);

            await SignalAsync(program, signal, deadline.Token);
            await program.WaitForExitAsync(deadline.Token);

            Assert.Equal(0, program.ExitCode);
            Assert.Equal("", await program.StandardOutput.ReadToEndAsync(deadline.Token));
        }
        finally
        {
            StopIfRunning(program);
        }
    }

    [Fact]
    public async Task A_bad_flag_is_one_line_on_stderr_and_exit_2()
    {
        using var deadline = new CancellationTokenSource(Deadline);
        using var program = Start("--port", "http");
        try
        {
            await program.WaitForExitAsync(deadline.Token);

            Assert.Equal(2, program.ExitCode);
            Assert.Equal("", await program.StandardOutput.ReadToEndAsync(deadline.Token));
            Assert.Equal(
                "worker-node-harness: --port needs a number from 0 to 65535, not 'http' (see --help)" + Environment.NewLine,
                await program.StandardError.ReadToEndAsync(deadline.Token));
        }
        finally
        {
            StopIfRunning(program);
        }
    }

    [Fact]
    public async Task Help_prints_the_usage_and_exits_0()
    {
        using var deadline = new CancellationTokenSource(Deadline);
        using var program = Start("--help");
        try
        {
            await program.WaitForExitAsync(deadline.Token);

            Assert.Equal(0, program.ExitCode);
            Assert.Equal(HarnessCommandLine.Usage, await program.StandardOutput.ReadToEndAsync(deadline.Token));
        }
        finally
        {
            StopIfRunning(program);
        }
    }

    [Fact]
    public async Task A_port_in_use_is_one_line_on_stderr_and_exit_1()
    {
        using var deadline = new CancellationTokenSource(Deadline);
        using var squatter = new TcpListener(IPAddress.Loopback, 0);
        squatter.Start();
        var port = ((IPEndPoint)squatter.LocalEndpoint).Port;
        using var program = Start("--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        try
        {
            await program.WaitForExitAsync(deadline.Token);

            Assert.Equal(1, program.ExitCode);
            var error = await program.StandardError.ReadToEndAsync(deadline.Token);
            Assert.StartsWith($"worker-node-harness: cannot listen on port {port}: ", error, StringComparison.Ordinal);
            Assert.Single(error.TrimEnd().Split('\n'));
        }
        finally
        {
            StopIfRunning(program);
        }
    }

    // The program is the harness assembly next to the tests, run by the dotnet host running them.
    private static Process Start(params string[] args)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(typeof(HarnessServer).Assembly.Location);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        return Process.Start(start) ?? throw new InvalidOperationException("the harness program did not start");
    }

    private static async Task SignalAsync(Process program, string signal, CancellationToken ct)
    {
        using var kill = Process.Start("kill", ["-" + signal, program.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        await kill.WaitForExitAsync(ct);
        Assert.Equal(0, kill.ExitCode);
    }

    private static void StopIfRunning(Process program)
    {
        if (!program.HasExited)
        {
            program.Kill(entireProcessTree: true);
        }
    }

    private static StringContent JsonBody(string json) => new(json, System.Text.Encoding.UTF8, "application/json");
}
