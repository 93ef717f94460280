using System.CommandLine;
using System.Text;
using WorkerNode.Lifecycle;

namespace WorkerNode.Cli;

/// <summary><c>worker-node report [--html FILE] [--csv FILE] FILE_OR_DIR...</c>: reads resource profiles.</summary>
internal static class ReportCommand
{
    public const string Name = "report";

    public static Command Create(CliContext context)
    {
        var html = new Option<string>("--html") { Description = "Write one self-contained HTML page (task table, charts, timeline, right-sizing) to FILE.", HelpName = "FILE" };
        var csv = new Option<string>("--csv") { Description = "Write every sample of every task as CSV to FILE ('-' for stdout).", HelpName = "FILE" };
        var inputs = new Argument<string[]>("profiles")
        {
            Description = "Profile files (run --metrics) and directories of them (worker_node.metrics_dir).",
            Arity = ArgumentArity.OneOrMore,
        };
        var report = new Command(Name, """
            Summarise resource profiles: a table on the terminal, or an HTML page and a CSV table.
            Exit status: 0 when written, 1 when no profile could be read or the output could not be written, 2 on a usage error.

            Examples:
              worker-node report metrics/
              worker-node report --html workflow.html metrics/
              worker-node report --csv samples.csv metrics/task.m7001.jsonl
            """);
        report.Options.Add(html);
        report.Options.Add(csv);
        report.Arguments.Add(inputs);
        report.SetAction(parseResult =>
        {
            var options = new ReportOptions(parseResult.GetValue(inputs) ?? [], parseResult.GetValue(html), parseResult.GetValue(csv));
            try
            {
                using var output = new StreamWriter(Console.OpenStandardOutput(), new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), 1 << 16);
                return new ReportRun(options, output, context.Error, context.Time).Execute();
            }
            catch (IOException)
            {
                // stdout went away (`worker-node report DIR | head`): stop quietly, as tools killed by SIGPIPE do.
                return ReportRun.Failed;
            }
        });
        return report;
    }
}
