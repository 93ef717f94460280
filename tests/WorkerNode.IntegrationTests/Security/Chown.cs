using System.Diagnostics;

namespace WorkerNode.IntegrationTests.Security;

/// <summary>Gives a file to uid 65534 (nobody), as another user of a shared directory would own it.</summary>
public static class Chown
{
    public const int Nobody = 65534;

    public static void ToNobody(string path)
    {
        using var chown = Process.Start(new ProcessStartInfo("chown", ["-h", $"{Nobody}", path]) { RedirectStandardError = true })!;
        if (!chown.WaitForExit(10_000) || chown.ExitCode != 0)
        {
            throw new InvalidOperationException($"chown {path} failed: {chown.StandardError.ReadToEnd()}");
        }
    }
}
