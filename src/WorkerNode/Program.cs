using System.Collections;
using System.Text;
using WorkerNode.Cli;
using WorkerNode.Interop;
using WorkerNode.Logging;

namespace WorkerNode;

/// <summary>Entry point: make the process safe to supervise from, then hand over to the command line.</summary>
public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        FileDescriptors.EnsureStandardDescriptors();
        ProcessControl.RestoreDefaultChildSignal();

        // Not Console.Error (its set-up costs milliseconds that every task would pay), and never a blocking write:
        // one-line errors go through the same never-blocking writer as the log, so that a full stderr pipe cannot
        // hold the worker (and its exit status) forever.
        var outputs = new LogOutputs();
        var error = new StreamWriter(new LineOutputStream(outputs.StandardError), new UTF8Encoding(encoderShouldEmitUTF8Identifier: false)) { AutoFlush = true };
        var context = new CliContext(ReadEnvironment(), TimeProvider.System, error) { Outputs = outputs };

        // A failure on a background thread or timer would otherwise end the process with a stack
        // trace and SIGABRT: the same one line and exit status as a failure on the main path.
        AppDomain.CurrentDomain.UnhandledException += (_, failure) =>
        {
            if (failure.ExceptionObject is Exception exception)
            {
                error.WriteLine(InternalError.Line(exception));
            }

            outputs.Flush(LogOutputs.ExitFlushTimeout);
            Environment.Exit(ExitCodes.WorkerFailed);
        };
        var exitCode = await WorkerCli.RunAsync(args, context).ConfigureAwait(false);
        outputs.Flush(LogOutputs.ExitFlushTimeout);

        // The command died of a signal: so does the worker (after reporting), so that the scheduler's
        // accounting tells the same story as without it. Not as PID 1 (a container's entry point): the
        // kernel drops every signal to init that init has no handler for, raise() included, so the worker
        // would carry on regardless; it exits 128 + N instead, which is what a container runtime shows anyway.
        if (context.EndBySignal.Signal is { } signal && exitCode == 128 + signal && Environment.ProcessId != 1)
        {
            ProcessControl.DieBySignal(signal);
        }

        return exitCode;
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
