using System.CommandLine;
using WorkerNode.Configuration;
using WorkerNode.Lifecycle;

namespace WorkerNode.Cli;

/// <summary><c>worker-node run [options] -- CMD [ARGS...]</c>: standalone mode.</summary>
internal static class RunCommand
{
    public const string Name = "run";

    public static Command Create(CliContext context, IReadOnlyList<string> args)
    {
        var stdout = new Option<string>("--stdout") { Description = "Write the command's stdout to FILE (appended) instead of passing it through.", HelpName = "FILE" };
        var stderr = new Option<string>("--stderr") { Description = "Write the command's stderr to FILE (appended) instead of passing it through.", HelpName = "FILE" };
        var report = new Option<string>("--report") { Description = "Write a JSON report of the run to FILE.", HelpName = "FILE" };
        var metrics = new Option<string>("--metrics") { Description = "Write the run's resource profile (a time series of its samples, JSON Lines) to FILE; see 'worker-node report'.", HelpName = "FILE" };
        var name = new Option<string>("--name") { Description = "The task's name in its profile (default: the program's file name).", HelpName = "NAME" };
        var config = SettingsBinding.CreateConfigOption();
        var command = new Argument<string[]>("command")
        {
            Description = "The command and its arguments, run directly (no shell).",
            Arity = ArgumentArity.OneOrMore,
        };
        // System.CommandLine lets an unknown option before -- become the command's first word;
        // refuse that, so that a mistyped flag is a usage error and not a "command not found".
        command.Validators.Add(result =>
        {
            var first = result.Tokens.Count > 0 ? result.Tokens[0].Value : null;
            if (first is null || first.Length < 2 || first[0] != '-')
            {
                return;
            }

            var doubleDash = args.ToList().IndexOf("--");
            if (doubleDash < 0 || doubleDash + 1 >= args.Count || args[doubleDash + 1] != first)
            {
                result.AddError($"Unrecognized option '{first}'; a command that starts with '-' goes after --");
            }
        });
        var flags = ConfigFlags.CreateOptions(serverMode: false);

        var run = new Command(Name, """
            Run a command with worker-node's process control, limits and usage accounting, without a server.
            Its output passes through (or goes to files), its exit status is worker-node's.

            Example:
              worker-node run --time-limit 2h --memory-limit 4G --report run.json -- python fit.py --seed 3
            """);
        run.Options.Add(stdout);
        run.Options.Add(stderr);
        run.Options.Add(report);
        run.Options.Add(metrics);
        run.Options.Add(name);
        run.Options.Add(config);
        foreach (var (_, option) in flags)
        {
            run.Options.Add(option);
        }

        run.Arguments.Add(command);
        run.SetAction(async (parseResult, cancellationToken) =>
        {
            if (!SettingsBinding.TryLoad(context, parseResult, config, flags, out var settings, out var exitCode, usesServer: false))
            {
                return exitCode;
            }

            var log = SettingsBinding.CreateLog(settings, context, Logging.LogDestination.Stderr);
            var options = new StandaloneOptions(parseResult.GetValue(command) ?? [], parseResult.GetValue(stdout), parseResult.GetValue(stderr), parseResult.GetValue(report))
            {
                MetricsFile = parseResult.GetValue(metrics),
                TaskName = parseResult.GetValue(name),
            };
            var standalone = new StandaloneRun(options, settings, context.Environment, log, context.Time);
            var status = await standalone.ExecuteAsync(cancellationToken).ConfigureAwait(false);
            // Ends by the command's death signal, as in server mode: a shell's $? is the same 128 + N, and a
            // scheduler's accounting then shows the signal (sacct 0:9), not an exit code (137:0).
            return context.EndBySignal.Request(standalone.DeathSignal, status);
        });
        return run;
    }
}
