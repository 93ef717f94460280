using System.Collections.Frozen;

namespace WorkerNode.Harness.State;

/// <summary>The task-instance transitions the Jobmon server allows (PROTOCOL.md §8); anything else is refused.</summary>
public sealed class TransitionTable
{
    private readonly FrozenDictionary<string, FrozenSet<string>> allowed;

    private TransitionTable(IReadOnlyDictionary<string, string> targetsByOrigin)
    {
        allowed = targetsByOrigin.ToFrozenDictionary(
            pair => pair.Key,
            pair => pair.Value.Select(letter => letter.ToString()).ToFrozenSet(StringComparer.Ordinal),
            StringComparer.Ordinal);
    }

    /// <summary>The table of the real server: each origin with the letters it may move to.</summary>
    public static TransitionTable Jobmon { get; } = new(new Dictionary<string, string>
    {
        [TaskStatusLetter.Instantiated] = "R",
        [TaskStatusLetter.Launched] = "RFZUXK",
        [TaskStatusLetter.Running] = "DEZUTK",
        [TaskStatusLetter.Triaging] = "RZUF",
        [TaskStatusLetter.KillSelf] = "FD",
        [TaskStatusLetter.NoHeartbeat] = "E",
    });

    /// <summary>True when an instance in <paramref name="from"/> may move to <paramref name="to"/>.</summary>
    public bool Allows(string from, string to) => allowed.TryGetValue(from, out var targets) && targets.Contains(to);

    /// <summary>The status after asking for <paramref name="requested"/>: it when allowed, else the current one (a refusal keeps the status).</summary>
    public string Resolve(string current, string requested) => Allows(current, requested) ? requested : current;
}
