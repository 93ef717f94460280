namespace WorkerNode.IntegrationTests.Profiles;

/// <summary>How a headless chromium run ended: its stdout (the DOM with --dump-dom), the page's console messages, its whole log.</summary>
public sealed record ChromiumResult(int ExitCode, string Stdout, IReadOnlyList<string> ConsoleMessages, string Log, TimeSpan Elapsed);
