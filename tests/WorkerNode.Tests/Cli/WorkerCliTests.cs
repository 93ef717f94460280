using System.Diagnostics.CodeAnalysis;
using WorkerNode.Cli;

namespace WorkerNode.Tests.Cli;

/// <summary>The last resort: a bug anywhere under the command line is one line on stderr and exit 199.</summary>
public sealed class WorkerCliTests
{
    [Fact(Timeout = 30_000)]
    public async Task An_unexpected_exception_is_one_line_and_exit_199()
    {
        using var error = new StringWriter();
        var context = new CliContext(new BrokenEnvironment(), TimeProvider.System, error);

        var exitCode = await WorkerCli.RunAsync(["run", "--", "true"], context);

        Assert.Equal(199, exitCode);
        Assert.Equal(
            "worker-node: internal error: System.InvalidOperationException: the environment broke (see http://***@host/x) on two lines\n",
            error.ToString().ReplaceLineEndings("\n"));
    }

    [Fact]
    public void The_line_unwraps_a_lone_aggregate_and_stays_short()
    {
        var line = InternalError.Line(new AggregateException(new ArgumentException(new string('x', 2000))));

        Assert.StartsWith("worker-node: internal error: System.ArgumentException: xxx", line, StringComparison.Ordinal);
        Assert.EndsWith("...", line, StringComparison.Ordinal);
        Assert.True(line.Length < 600, line);
    }

    /// <summary>An environment that fails the first time anything reads it, as a bug deep down would.</summary>
    private sealed class BrokenEnvironment : IReadOnlyDictionary<string, string>
    {
        public int Count => throw Broken();

        public IEnumerable<string> Keys => throw Broken();

        public IEnumerable<string> Values => throw Broken();

        public string this[string key] => throw Broken();

        public bool ContainsKey(string key) => throw Broken();

        public bool TryGetValue(string key, [MaybeNullWhen(false)] out string value) => throw Broken();

        public IEnumerator<KeyValuePair<string, string>> GetEnumerator() => throw Broken();

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();

        private static InvalidOperationException Broken() => new("the environment broke (see http://user:secret@host/x)\non two lines");
    }
}
