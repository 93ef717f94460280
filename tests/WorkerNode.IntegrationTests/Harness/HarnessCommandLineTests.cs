using WorkerNode.Harness.Hosting;

namespace WorkerNode.IntegrationTests.Harness;

public sealed class HarnessCommandLineTests
{
    [Fact]
    public void Defaults_to_an_ephemeral_port_the_v3_prefix_and_quiet_logs()
    {
        var parsed = HarnessCommandLine.Parse([]);

        Assert.Null(parsed.Error);
        Assert.False(parsed.ShowHelp);
        Assert.Equal(0, parsed.Options.Port);
        Assert.Equal("/api/v3", parsed.Options.RoutePrefix);
        Assert.False(parsed.Options.Verbose);
    }

    [Fact]
    public void Reads_every_flag()
    {
        var parsed = HarnessCommandLine.Parse(["--port", "8070", "--route-prefix", "/jobmon/api/v3", "--verbose"]);

        Assert.Null(parsed.Error);
        Assert.Equal(8070, parsed.Options.Port);
        Assert.Equal("/jobmon/api/v3", parsed.Options.RoutePrefix);
        Assert.True(parsed.Options.Verbose);
    }

    [Theory]
    [InlineData("--help")]
    [InlineData("-h")]
    public void Asks_for_help(string flag) => Assert.True(HarnessCommandLine.Parse([flag]).ShowHelp);

    [Theory]
    [InlineData("--port", "--port needs a value")]
    [InlineData("--port x", "--port needs a number from 0 to 65535, not 'x'")]
    [InlineData("--port 65536", "--port needs a number from 0 to 65535, not '65536'")]
    [InlineData("--port -1", "--port needs a number from 0 to 65535, not '-1'")]
    [InlineData("--route-prefix api", "route prefix 'api' must start with '/'")]
    [InlineData("--route-prefix /admin", "route prefix '/admin' would hide the admin API under /admin")]
    [InlineData("--bogus", "unknown argument '--bogus'")]
    [InlineData("--port=8070", "unknown argument '--port=8070'")]
    public void Explains_a_bad_command_line_in_one_line(string commandLine, string error)
    {
        var parsed = HarnessCommandLine.Parse(commandLine.Split(' '));

        Assert.Equal(error, parsed.Error);
        Assert.DoesNotContain('\n', parsed.Error!);
    }
}
