using System.Globalization;

namespace WorkerNode.Harness.Hosting;

/// <summary>The harness program's flags, parsed by hand: options to run with, a request for help, or one line saying what is wrong.</summary>
public sealed record HarnessCommandLine(HarnessOptions Options, bool ShowHelp, string? Error)
{
    public const string Usage = """
        usage: worker-node-harness [--port N] [--route-prefix PREFIX] [--verbose]
                                   [--concurrency K] [--service-seconds S] [--queue-limit N] [--slow S]
                                   [--without-ti-details]

        A local Jobmon server for worker-node: the worker routes of REST API v3 and an admin API (see README.md).

          --port N               port on 127.0.0.1 (default 0: any free port)
          --route-prefix PREFIX  prefix of the worker routes (default /api/v3)
          --verbose              log every request to stderr (default: warnings only)
          --concurrency K        load model: serve at most K worker requests at once (default 0: unlimited)
          --service-seconds S    load model: each served request takes S seconds (with --concurrency)
          --queue-limit N        load model: at most N requests wait; past it connections are dropped (default 0: unbounded)
          --slow S               delay every answer by S seconds (default 0)
          --without-ti-details   act as a server without GET /task/get_ti_details_viz/{task_id} (it answers 404)
          -h, --help             show this help

        Prints "harness listening on http://127.0.0.1:PORT" once started; stops on SIGINT or SIGTERM.

        """;

    public static HarnessCommandLine Parse(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var options = new HarnessOptions();
        for (var i = 0; i < args.Count; i++)
        {
            switch (args[i])
            {
                case "-h" or "--help":
                    return new HarnessCommandLine(options, ShowHelp: true, Error: null);
                case "--verbose":
                    options = options with { Verbose = true };
                    break;
                case "--without-ti-details":
                    options = options with { WithoutTaskInstanceDetails = true };
                    break;
                case "--port" when i + 1 < args.Count:
                    if (!int.TryParse(args[++i], NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port > 65535)
                    {
                        return Failed(options, $"--port needs a number from 0 to 65535, not '{args[i]}'");
                    }

                    options = options with { Port = port };
                    break;
                case "--route-prefix" when i + 1 < args.Count:
                    if (RoutePrefix.Normalize(args[++i], out var problem) is null)
                    {
                        return Failed(options, problem!);
                    }

                    options = options with { RoutePrefix = args[i] };
                    break;
                case "--concurrency" or "--queue-limit" when i + 1 < args.Count:
                    var flag = args[i];
                    if (!int.TryParse(args[++i], NumberStyles.None, CultureInfo.InvariantCulture, out var count))
                    {
                        return Failed(options, $"{flag} needs a whole number, 0 or more, not '{args[i]}'");
                    }

                    options = options with { Load = flag == "--concurrency" ? options.Load with { Concurrency = count } : options.Load with { QueueLimit = count } };
                    break;
                case "--service-seconds" or "--slow" when i + 1 < args.Count:
                    var secondsFlag = args[i];
                    if (!double.TryParse(args[++i], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var seconds) || !double.IsFinite(seconds))
                    {
                        return Failed(options, $"{secondsFlag} needs a number of seconds, 0 or more, not '{args[i]}'");
                    }

                    options = options with { Load = secondsFlag == "--slow" ? options.Load with { SlowSeconds = seconds } : options.Load with { ServiceSeconds = seconds } };
                    break;
                case "--port" or "--route-prefix" or "--concurrency" or "--queue-limit" or "--service-seconds" or "--slow":
                    return Failed(options, $"{args[i]} needs a value");
                default:
                    return Failed(options, $"unknown argument '{args[i]}'");
            }
        }

        return new HarnessCommandLine(options, ShowHelp: false, Error: null);
    }

    private static HarnessCommandLine Failed(HarnessOptions options, string error) => new(options, ShowHelp: false, error);
}
