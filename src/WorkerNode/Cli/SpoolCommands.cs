using System.CommandLine;
using WorkerNode.Lifecycle;
using WorkerNode.Reporting;

namespace WorkerNode.Cli;

/// <summary><c>worker-node spool flush</c>: deliver the final reports that workers could not.</summary>
internal static class SpoolCommands
{
    public const string Name = "spool";

    // Where each report goes is in its file; what a flush may tune is how hard it tries, and its log.
    private static readonly string[] FlushFlags = ["--request-timeout", "--retries-attempts", "--retries-timeout", "--log-level", "--log-format", "--log-output"];

    public static Command Create(CliContext context)
    {
        var directory = new Option<string>("--dir")
        {
            Description = "The spool directory (default: worker_node.spool_dir, else $XDG_STATE_HOME/worker-node/spool or ~/.local/state/worker-node/spool).",
            HelpName = "DIR",
        };
        directory.Validators.Add(result =>
        {
            if (string.IsNullOrWhiteSpace(result.GetValueOrDefault<string>()))
            {
                result.AddError("--dir: the directory path is empty");
            }
        });
        var lockWait = new Option<string>("--lock-wait")
        {
            Description = "Seconds to wait for another flush of this spool on this node (a worker's start-up flush, another 'spool flush') to end (default 30; 0: do not wait).",
            HelpName = "SECONDS",
        };
        lockWait.Validators.Add(result =>
        {
            if (ParseSeconds(result.GetValueOrDefault<string>()) is null)
            {
                result.AddError($"--lock-wait: '{result.GetValueOrDefault<string>()}' is not a number of seconds from 0 to 86400");
            }
        });
        var config = SettingsBinding.CreateConfigOption();
        var flags = ConfigFlags.CreateOptions(flag => FlushFlags.Contains(flag.Name));

        var flush = new Command("flush", """
            Deliver the final reports kept in the spool: each goes to the server recorded in its file, with
            this command's retry budget, token and CA bundle. A file is claimed (renamed) before it is sent, so
            that several flushers never send the same report; it is deleted once the server answers the
            status it asked for. One flush per node and user at a time: while another runs (a worker's start-up
            flush, another 'spool flush') this one waits for it, up to --lock-wait seconds. Exits 0 when every
            report was delivered (or there were none), 199 when some are kept for later or were rejected
            (renamed *.rejected), or another flush still ran after --lock-wait (nothing sent), 198 when the
            directory cannot be read.

            Example:
              worker-node spool flush --dir /shared/worker-node/spool
            """);
        flush.Options.Add(directory);
        flush.Options.Add(lockWait);
        flush.Options.Add(config);
        foreach (var (_, option) in flags)
        {
            flush.Options.Add(option);
        }

        flush.SetAction(async (parseResult, cancellationToken) =>
        {
            if (!SettingsBinding.TryLoad(context, parseResult, config, flags, out var settings, out var exitCode))
            {
                return exitCode;
            }

            var log = SettingsBinding.CreateLog(settings, context, Logging.LogDestination.Stderr);
            var path = parseResult.GetValue(directory) is { } given
                ? Path.GetFullPath(given)
                : SpoolDirectory.Locate(settings.WorkerNode.SpoolDir, context.Environment);
            if (path is null)
            {
                log.Error("no spool directory: give --dir, or set worker_node.spool_dir (or HOME)");
                return ExitCodes.Environment;
            }

            var wait = parseResult.GetValue(lockWait) is { } seconds ? ParseSeconds(seconds)!.Value : SpoolFlushRun.DefaultLockWait;
            return await new SpoolFlushRun(path, settings, log, context.Time, wait).ExecuteAsync(cancellationToken).ConfigureAwait(false);
        });

        var spool = new Command(Name, "Final reports that could not be delivered when their task ended.");
        spool.Subcommands.Add(flush);
        return spool;
    }

    /// <summary>A number of seconds from 0 to a day (a longer wait is a mistake); null when it is not one.</summary>
    private static TimeSpan? ParseSeconds(string? text) =>
        double.TryParse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var seconds)
        && double.IsFinite(seconds) && seconds is >= 0 and <= 86400
            ? TimeSpan.FromSeconds(seconds)
            : null;
}
