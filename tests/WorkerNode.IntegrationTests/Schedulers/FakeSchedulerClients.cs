namespace WorkerNode.IntegrationTests.Schedulers;

/// <summary>
/// A directory of stand-in scheduler clients (scontrol, bjobs, ...), small shell scripts put first on the
/// worker's PATH: for what cannot run here (LSF) or must misbehave on purpose (a query that hangs).
/// </summary>
public sealed class FakeSchedulerClients : IDisposable
{
    public string Directory { get; } = System.IO.Directory.CreateTempSubdirectory("wn-fake-clients-").FullName;

    /// <summary>PATH with the fakes first.</summary>
    public string PathVariable => $"{Directory}:{Environment.GetEnvironmentVariable("PATH")}";

    /// <summary>Writes the client <paramref name="name"/> as a /bin/sh script with <paramref name="body"/>.</summary>
    public void Add(string name, string body)
    {
        var script = Path.Combine(Directory, name);
        File.WriteAllText(script, $"#!/bin/sh\n{body}\n");
        File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    /// <summary>A client that records its arguments in NAME.args (each followed by '|') and prints <paramref name="answer"/>.</summary>
    public void Answering(string name, string answer)
    {
        File.WriteAllText(Path.Combine(Directory, $"{name}.answer"), answer);
        Add(name, $"for a in \"$@\"; do printf '%s|' \"$a\"; done > '{Directory}/{name}.args'\ncat '{Directory}/{name}.answer'");
    }

    /// <summary>The arguments the client <paramref name="name"/> made by <see cref="Answering"/> was last given.</summary>
    public string ArgumentsOf(string name) => File.ReadAllText(Path.Combine(Directory, $"{name}.args"));

    public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);
}
