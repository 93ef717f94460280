namespace WorkerNode.IntegrationTests.Infrastructure;

/// <summary>How a worker-node run ended.</summary>
public sealed record WorkerResult(int ExitCode, string Stdout, string Stderr, TimeSpan Elapsed)
{
    public override string ToString() => $"exit {ExitCode} after {Elapsed.TotalSeconds:0.000} s\n--- stdout ---\n{Stdout}\n--- stderr ---\n{Stderr}";
}
