using System.Runtime.InteropServices;
using WorkerNode.Harness.Hosting;

// The harness as a program: scripts start it, read the one "listening" line, and stop it with a signal.
var commandLine = HarnessCommandLine.Parse(args);
if (commandLine.Error is { } error)
{
    Console.Error.WriteLine($"worker-node-harness: {error} (see --help)");
    return 2;
}

if (commandLine.ShowHelp)
{
    Console.Out.Write(HarnessCommandLine.Usage);
    return 0;
}

using var stop = new CancellationTokenSource();
using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);

HarnessServer server;
try
{
    server = await HarnessServer.StartAsync(commandLine.Options, stop.Token);
}
catch (IOException e)
{
    Console.Error.WriteLine($"worker-node-harness: cannot listen on port {commandLine.Options.Port}: {e.Message}");
    return 1;
}
catch (OperationCanceledException)
{
    return 0;
}

await using (server)
{
    Console.Out.WriteLine($"harness listening on {server.BaseUrl.GetLeftPart(UriPartial.Authority)}");
    Console.Out.Flush();
    try
    {
        await Task.Delay(Timeout.InfiniteTimeSpan, stop.Token);
    }
    catch (OperationCanceledException)
    {
        // SIGINT or SIGTERM: stop listening and exit 0.
    }
}

return 0;

void Stop(PosixSignalContext context)
{
    // Cancel the default action (immediate exit) so that the server is disposed in order.
    context.Cancel = true;
    stop.Cancel();
}
