using System.Collections;
using System.Text;
using WorkerNode.Cli;
using WorkerNode.Interop;

namespace WorkerNode;

/// <summary>Entry point: make the process safe to supervise from, then hand over to the command line.</summary>
public static class Program
{
    public static Task<int> Main(string[] args)
    {
        FileDescriptors.EnsureStandardDescriptors();
        ProcessControl.RestoreDefaultChildSignal();
        // Not Console.Error: its set-up costs milliseconds that every task would pay.
        var error = new StreamWriter(new DescriptorStream(2), new UTF8Encoding(encoderShouldEmitUTF8Identifier: false)) { AutoFlush = true };
        var context = new CliContext(ReadEnvironment(), TimeProvider.System, error);
        return WorkerCli.RunAsync(args, context);
    }

    private static Dictionary<string, string> ReadEnvironment()
    {
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (DictionaryEntry entry in Environment.GetEnvironmentVariables())
        {
            environment[(string)entry.Key] = entry.Value as string ?? string.Empty;
        }

        return environment;
    }
}
