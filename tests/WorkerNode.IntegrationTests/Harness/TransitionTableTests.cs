using WorkerNode.Harness.State;

namespace WorkerNode.IntegrationTests.Harness;

public sealed class TransitionTableTests
{
    // PROTOCOL.md §8, copied here on purpose: the table under test must agree with the spec, not with itself.
    private static readonly (string From, string Targets)[] Specified =
    [
        ("I", "R"),
        ("O", "RFZUXK"),
        ("R", "DEZUTK"),
        ("T", "RZUF"),
        ("K", "FD"),
        ("X", "E"),
    ];

    private static readonly string[] Letters = ["Q", "I", "O", "R", "D", "E", "Z", "F", "K", "X", "U", "T", "W"];

    public static TheoryData<string, string> AllowedPairs()
    {
        var data = new TheoryData<string, string>();
        foreach (var (from, targets) in Specified)
        {
            foreach (var to in targets)
            {
                data.Add(from, to.ToString());
            }
        }

        return data;
    }

    /// <summary>Every other pair of letters: all that the spec does not list is refused.</summary>
    public static TheoryData<string, string> RefusedPairs()
    {
        var data = new TheoryData<string, string>();
        foreach (var from in Letters)
        {
            foreach (var to in Letters.Where(to => !IsSpecified(from, to)))
            {
                data.Add(from, to);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(AllowedPairs))]
    public void Allows_every_transition_of_the_spec(string from, string to)
    {
        Assert.True(TransitionTable.Jobmon.Allows(from, to));
        Assert.Equal(to, TransitionTable.Jobmon.Resolve(from, to));
    }

    [Theory]
    [MemberData(nameof(RefusedPairs))]
    public void Refuses_every_other_transition_keeping_the_status(string from, string to)
    {
        Assert.False(TransitionTable.Jobmon.Allows(from, to));
        Assert.Equal(from, TransitionTable.Jobmon.Resolve(from, to));
    }

    [Theory]
    [InlineData("R", "F")]
    [InlineData("R", "R")]
    [InlineData("D", "E")]
    [InlineData("U", "D")]
    [InlineData("E", "E")]
    [InlineData("K", "E")]
    [InlineData("K", "R")]
    public void Refuses_the_transitions_the_protocol_names(string from, string to) =>
        Assert.False(TransitionTable.Jobmon.Allows(from, to));

    [Theory]
    [InlineData("", "R")]
    [InlineData("r", "R")]
    [InlineData("I", "RR")]
    public void Refuses_what_is_not_a_status_letter(string from, string to) =>
        Assert.False(TransitionTable.Jobmon.Allows(from, to));

    [Fact]
    public void Knows_exactly_the_thirteen_letters() =>
        Assert.Equal(Letters, TaskStatusLetter.All);

    private static bool IsSpecified(string from, string to) =>
        Specified.Any(rule => rule.From == from && rule.Targets.Contains(to, StringComparison.Ordinal));
}
