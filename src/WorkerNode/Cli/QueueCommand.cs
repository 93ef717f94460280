using System.CommandLine;
using System.Globalization;
using WorkerNode.Configuration;
using WorkerNode.Lifecycle;
using WorkerNode.Queue;

namespace WorkerNode.Cli;

/// <summary><c>worker-node queue --redis URL --queue NAME [options]</c>: work-queue mode.</summary>
internal static class QueueCommand
{
    public const string Name = "queue";

    private const string PasswordVariable = "REDIS_PASSWORD";

    /// <summary>Flags of the common keys that queue mode uses: those of run, and the heartbeat (the lease's clock).</summary>
    private static readonly HashSet<string> ServerFlagsUsed = ["--heartbeat-interval", "--report-by-buffer", "--metrics-dir"];

    public static Command Create(CliContext context)
    {
        var redis = new Option<string>("--redis") { Description = "Redis URL: redis://HOST:6379[/DB] or rediss://HOST:6380 (TLS); a user as redis://USER@HOST.", HelpName = "URL", Required = true };
        var queueName = new Option<string>("--queue") { Description = "The list to take items from; the worker also uses NAME:processing, NAME:done, NAME:failed, NAME:stop, NAME:lease:ID.", HelpName = "NAME", Required = true };
        var passwordFile = new Option<string>("--redis-password-file") { Description = $"Read the Redis password from FILE (default: ${PasswordVariable}). Never logged.", HelpName = "FILE" };
        var caFile = new Option<string>("--redis-ca") { Description = "Trust this CA certificate (PEM) for rediss://.", HelpName = "FILE" };
        var outputDir = new Option<string>("--output-dir") { Description = "Write each item's output to DIR/{id}.out and DIR/{id}.err instead of passing it through.", HelpName = "DIR" };
        var idleExit = new Option<string>("--idle-exit") { Description = "Exit 0 once the queue has been empty this long (90s, 5m): a Kubernetes Job then completes.", HelpName = "DURATION" };
        var maxItems = new Option<string>("--max-items") { Description = "Exit 0 after this many items.", HelpName = "N" };
        var maxAttempts = new Option<string>("--max-attempts") { Description = "An item's max_attempts when it names none: leases that may expire before it is given up (default 3).", HelpName = "N" };
        var redisWait = new Option<string>("--redis-wait") { Description = "How long to wait for Redis to answer at start (default 30s).", HelpName = "DURATION" };
        var config = SettingsBinding.CreateConfigOption();
        var flags = ConfigFlags.CreateOptions(flag => !flag.ServerModeOnly || ServerFlagsUsed.Contains(flag.Name));

        var queue = new Command(Name, """
            Take tasks from a Redis list and run each with worker-node's process control, limits and usage
            accounting, as a Kubernetes Job's pods (or any number of workers) would: leases, recovery of the items
            of dead workers, result records in NAME:done and NAME:failed. Exits 0 on SIGTERM (the running item goes
            back on the queue), on the kill switch NAME:stop, after --idle-exit or --max-items.

            Example:
              REDIS_PASSWORD=... worker-node queue --redis redis://redis:6379 --queue jobs --idle-exit 60s --heartbeat-interval 10
            """);
        foreach (var option in new[] { redis, queueName, passwordFile, caFile, outputDir, idleExit, maxItems, maxAttempts, redisWait, config })
        {
            queue.Options.Add(option);
        }

        foreach (var (_, option) in flags)
        {
            queue.Options.Add(option);
        }

        queue.SetAction(async (parseResult, cancellationToken) =>
        {
            if (!SettingsBinding.TryLoad(context, parseResult, config, flags, out var settings, out var exitCode))
            {
                return exitCode;
            }

            if (!TryReadOptions(context, parseResult, out var options, out exitCode,
                (redis, queueName, passwordFile, caFile, outputDir, idleExit, maxItems, maxAttempts, redisWait)))
            {
                return exitCode;
            }

            var log = SettingsBinding.CreateLog(settings, context, Logging.LogDestination.Stderr);
            return await new QueueRun(options!, settings, context.Environment, log, context.Time).ExecuteAsync(cancellationToken).ConfigureAwait(false);
        });
        return queue;
    }

    private static bool TryReadOptions(
        CliContext context,
        ParseResult parseResult,
        out QueueOptions? options,
        out int exitCode,
        (Option<string> Redis, Option<string> Queue, Option<string> PasswordFile, Option<string> CaFile, Option<string> OutputDir, Option<string> IdleExit, Option<string> MaxItems, Option<string> MaxAttempts, Option<string> RedisWait) flags)
    {
        options = null;
        exitCode = ExitCodes.Usage;
        if (!RedisAddress.TryParse(parseResult.GetValue(flags.Redis)!, out var address, out var error))
        {
            return Fail(context, error!);
        }

        var name = parseResult.GetValue(flags.Queue)!;
        if (name.Length == 0 || name.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
        {
            return Fail(context, "--queue wants a name without spaces, e.g. --queue jobs");
        }

        TimeSpan? idle = null;
        if (parseResult.GetValue(flags.IdleExit) is { } idleText)
        {
            if (!DurationParser.TryParseTimeLimit(idleText, out var value, out var durationError))
            {
                return Fail(context, $"--idle-exit {idleText}: {durationError}");
            }

            idle = value;
        }

        var wait = TimeSpan.FromSeconds(30);
        if (parseResult.GetValue(flags.RedisWait) is { } waitText && !DurationParser.TryParseTimeLimit(waitText, out wait, out var waitError))
        {
            return Fail(context, $"--redis-wait {waitText}: {waitError}");
        }

        if (!TryCount(context, flags.MaxItems.Name, parseResult.GetValue(flags.MaxItems), out var items)
            || !TryCount(context, flags.MaxAttempts.Name, parseResult.GetValue(flags.MaxAttempts), out var attempts))
        {
            return false;
        }

        string? password = null;
        if (parseResult.GetValue(flags.PasswordFile) is { } file)
        {
            try
            {
                password = File.ReadAllText(file).TrimEnd('\r', '\n');
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                exitCode = ExitCodes.Environment;
                context.Error.WriteLine($"worker-node: cannot read the Redis password file {file}: {(exception is UnauthorizedAccessException ? "permission denied" : exception.Message)}");
                return false;
            }
        }
        else if (context.Environment.TryGetValue(PasswordVariable, out var fromEnvironment) && fromEnvironment.Length > 0)
        {
            password = fromEnvironment;
        }

        options = new QueueOptions(address!, password, parseResult.GetValue(flags.CaFile), new QueueKeys(name), parseResult.GetValue(flags.OutputDir), idle, items, attempts ?? 3, wait);
        exitCode = 0;
        return true;
    }

    private static bool TryCount(CliContext context, string flag, string? text, out int? value)
    {
        value = null;
        if (text is null)
        {
            return true;
        }

        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var count) && count >= 1)
        {
            value = count;
            return true;
        }

        return Fail(context, $"{flag} wants a whole number of at least 1, not '{text}'");
    }

    private static bool Fail(CliContext context, string message)
    {
        context.Error.WriteLine($"worker-node: {message}");
        return false;
    }
}
