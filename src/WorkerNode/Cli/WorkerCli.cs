using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;
using System.CommandLine.Parsing;
using WorkerNode.Jobmon.Transport;

namespace WorkerNode.Cli;

/// <summary>The command line: parse, turn usage errors into one line and exit 2, run the chosen command.</summary>
public static class WorkerCli
{
    private static readonly string[] HelpAndVersionTokens = ["--help", "-h", "-?", "--version"];

    /// <summary>The commands, in the order help lists them, each built on demand.</summary>
    private static readonly (string Name, Func<CliContext, string[], Command> Create)[] Commands =
    [
        (ServerCommands.JobCommandName, (context, _) => ServerCommands.CreateJob(context)),
        (ServerCommands.ArrayCommandName, (context, _) => ServerCommands.CreateArray(context)),
        (RunCommand.Name, RunCommand.Create),
        (QueueCommand.Name, (context, _) => QueueCommand.Create(context)),
        (SpoolCommands.Name, (context, _) => SpoolCommands.Create(context)),
        (ReportCommand.Name, (context, _) => ReportCommand.Create(context)),
    ];

    /// <summary>Runs the command line; any exception that escapes is a bug, reported in one line with exit 199.</summary>
    public static async Task<int> RunAsync(string[] args, CliContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        try
        {
            return await ParseAndInvokeAsync(args, context).ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            // No log exists at this level to take the stack; the type and message are what a bug report needs first.
            context.Error.WriteLine(InternalError.Line(exception));
            return ExitCodes.WorkerFailed;
        }
    }

    private static async Task<int> ParseAndInvokeAsync(string[] args, CliContext context)
    {
        // A server task's first request waits for the HTTP machinery (tens of milliseconds of
        // first-time code): build it on another core while the command line and settings are read.
        if (ServerCommands.StartsServerTask(args))
        {
            context = context with { Transport = JobmonTransport.StartBuilding(context.Time) };
        }

        var root = new Command("worker-node", """
            worker-node: runs one task of a scientific workflow for the Jobmon server (as the Python
            worker_node_entry_point does), or any command standalone, with process-group control,
            heartbeats, time and memory limits, usage accounting and a precise outcome report.

            Examples:
              worker-node worker_node_job --task_instance_id 12 --cluster_name slurm --expected_jobmon_version 3.4.0
              worker-node run --time-limit 30m -- ./simulate --steps 1000
              worker-node queue --redis redis://redis:6379 --queue jobs --idle-exit 60s
              worker-node spool flush
              worker-node report --html workflow.html metrics/
            """);
        // Only the command the first word names is built: its options are what the parser needs, and
        // building all six trees is about a tenth of `run -- true`'s CPU time (perf). Anything else (no
        // command, a typo, help at the top) gets them all, so that help and the error line list every one.
        var named = Array.FindIndex(Commands, command => args.Length > 0 && command.Name == args[0]);
        foreach (var (_, create) in named >= 0 ? Commands[named..(named + 1)] : Commands)
        {
            root.Subcommands.Add(create(context, args));
        }

        // A plain Command root with --help and --version added only when asked for: building
        // them (as RootCommand does) loads System.CommandLine's localized resources, about 5 ms
        // that every task would pay for options it never uses.
        if (args.Any(argument => HelpAndVersionTokens.Contains(argument)))
        {
            root.Options.Add(new HelpOption("--help", "-h", "-?"));
            root.Options.Add(new VersionOption("--version") { Action = new VersionAction() });
        }

        var parseResult = root.Parse(args, new ParserConfiguration { ResponseFileTokenReplacer = null });
        if (parseResult.Errors.Count > 0 && parseResult.CommandResult.Command == root)
        {
            // System.CommandLine's "Required command was not provided" says neither what was wrong nor what is right.
            var commands = string.Join(", ", root.Subcommands.Select(command => command.Name));
            context.Error.WriteLine(args.Length > 0 && !args[0].StartsWith('-')
                ? $"worker-node: unknown command '{Printable(args[0])}'; the commands are {commands} (see 'worker-node --help')"
                : $"worker-node: no command given; the commands are {commands} (see 'worker-node --help')");
            return ExitCodes.Usage;
        }

        if (parseResult.Errors.Count > 0)
        {
            context.Error.WriteLine($"worker-node: {parseResult.Errors[0].Message} (see '{CommandPath(parseResult.CommandResult)} --help')");
            return ExitCodes.Usage;
        }

        // ProcessTerminationTimeout = null: the worker handles SIGINT/SIGTERM itself and must
        // never be cut short while it stops its command and reports. No default exception handler:
        // it prints a stack trace and exits 1; RunAsync turns a bug into one line and 199 instead.
        var invocation = new InvocationConfiguration { ProcessTerminationTimeout = null, EnableDefaultExceptionHandler = false };
        return await parseResult.InvokeAsync(invocation).ConfigureAwait(false);
    }

    /// <summary>An argument as it can be shown on one line: control characters escaped, long text cut.</summary>
    private static string Printable(string argument)
    {
        var shown = argument.Length > 100 ? argument[..100] + "..." : argument;
        return string.Concat(shown.Select(c => char.IsControl(c) ? $"\\x{(int)c:x2}" : c.ToString()));
    }

    /// <summary>"worker-node spool flush": the command's name and its parents', for the usage line.</summary>
    private static string CommandPath(CommandResult command)
    {
        var names = new List<string>();
        for (SymbolResult? result = command; result is CommandResult { Parent: var parent } current; result = parent)
        {
            if (current.Parent is not null)
            {
                names.Add(current.Command.Name);
            }
        }

        names.Add("worker-node");
        names.Reverse();
        return string.Join(' ', names);
    }

    private sealed class VersionAction : SynchronousCommandLineAction
    {
        public override int Invoke(ParseResult parseResult)
        {
            parseResult.InvocationConfiguration.Output.WriteLine(ToolVersion.Line);
            return 0;
        }
    }
}
