using WorkerNode.Cli;

namespace WorkerNode.Tests.Cli;

/// <summary>--expected_jobmon_version: any Jobmon 3.x.y as Python packaging writes it, and nothing that is not a version.</summary>
public sealed class ProtocolVersionTests
{
    [Theory]
    [InlineData("3.0.0")]
    [InlineData("3.4.0")]
    [InlineData("3.10.12")]
    [InlineData("3.4.0rc1")]
    [InlineData("3.4.0a1")]
    [InlineData("3.4.0.dev2")]
    [InlineData("3.4.0.post1")]
    [InlineData("3.4.0-1")]
    [InlineData("3.4.0_rc.1")]
    [InlineData("3.4.0+local")]
    [InlineData("3.4.1.dev2+g1234abc.d20240101")]
    [InlineData("3.4.0rc1+ihme.2")]
    [InlineData("3.4.0.1")]
    public void Jobmon_3_versions_are_accepted(string version) => Assert.True(ProtocolVersion.IsCompatible(version), version);

    [Theory]
    [InlineData("")]
    [InlineData("3")]
    [InlineData("3.")]
    [InlineData("3.4")]
    [InlineData("3.4.")]
    [InlineData("3.x")]
    [InlineData("3.4.x")]
    [InlineData("3..0")]
    [InlineData("v3.4.0")]
    [InlineData("V3.4.0")]
    [InlineData(" 3.4.0")]
    [InlineData("3.4.0 ")]
    [InlineData("3.4.0 rc1")]
    [InlineData("3.4.0.")]
    [InlineData("3.4.0..dev2")]
    [InlineData("3.4.0+")]
    [InlineData("3.4.0+a+b")]
    [InlineData("3.4.0+.local")]
    [InlineData("3.4.0!")]
    [InlineData("3.4.0\n")]
    [InlineData("3.4.0;rm -rf")]
    [InlineData("3.４.0")]
    [InlineData("30.4.0")]
    [InlineData("03.4.0")]
    [InlineData("2.9.1")]
    [InlineData("4.0.0")]
    [InlineData("garbage")]
    public void Anything_else_is_refused(string version) => Assert.False(ProtocolVersion.IsCompatible(version), version);

    [Fact]
    public void A_very_long_version_is_refused()
    {
        Assert.False(ProtocolVersion.IsCompatible("3.4.0." + string.Join('.', Enumerable.Repeat("dev", 100))));
    }

    [Fact]
    public void The_mismatch_line_names_both_versions_on_one_line()
    {
        var line = ProtocolVersion.MismatchMessage("3.x\nworker-node: fake" + new string('y', 500));

        Assert.StartsWith($"worker-node: version mismatch: this worker is {ToolVersion.Current} and speaks Jobmon 3.x.y (REST API v3), but the workflow expects Jobmon '3.x\\x0aworker-node: fake", line, StringComparison.Ordinal);
        Assert.EndsWith("yyy...'", line, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', line);
    }
}
