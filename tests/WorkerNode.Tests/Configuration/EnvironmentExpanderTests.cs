using WorkerNode.Configuration;

namespace WorkerNode.Tests.Configuration;

public sealed class EnvironmentExpanderTests
{
    private static readonly Dictionary<string, string> Environment = new()
    {
        ["HOME"] = "/home/u",
        ["A_1"] = "x",
        ["EMPTY"] = "",
        ["1"] = "one",
    };

    [Theory]
    [InlineData("plain", "plain")]
    [InlineData("$HOME/spool", "/home/u/spool")]
    [InlineData("${HOME}/spool", "/home/u/spool")]
    [InlineData("$HOME$A_1", "/home/ux")]
    [InlineData("${A_1}y", "xy")]
    [InlineData("$A_1y", "$A_1y")]
    [InlineData("$EMPTY|", "|")]
    [InlineData("$UNSET/x", "$UNSET/x")]
    [InlineData("${UNSET}/x", "${UNSET}/x")]
    [InlineData("${UNCLOSED", "${UNCLOSED")]
    [InlineData("${}", "${}")]
    [InlineData("cost: 5$", "cost: 5$")]
    [InlineData("$$HOME", "$/home/u")]
    [InlineData("$-x", "$-x")]
    [InlineData("$1", "one")]
    [InlineData("${HOME", "${HOME")]
    public void Expands_like_python_expandvars(string text, string expected) =>
        Assert.Equal(expected, EnvironmentExpander.Expand(text, Environment));
}
