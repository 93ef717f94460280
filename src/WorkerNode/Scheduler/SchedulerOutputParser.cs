using System.Globalization;
using System.Text.Json;

namespace WorkerNode.Scheduler;

/// <summary>Reads the figures the worker needs from the schedulers' own clients' output, as observed on Slurm 22.05 and SGE 8.1.9.</summary>
public static class SchedulerOutputParser
{
    /// <summary>
    /// `scontrol show job ID` run with SLURM_TIME_FORMAT=%s: StartTime= and EndTime= as Unix seconds
    /// (EndTime is StartTime plus the time limit; TimeLimit=UNLIMITED gives an EndTime years ahead,
    /// which the caller sees as no limit worth enforcing).
    /// </summary>
    public static (DateTimeOffset? Start, DateTimeOffset? End, string? TimeLimit) SlurmJob(string output)
    {
        var fields = Fields(output);
        return (Unix(fields.GetValueOrDefault("StartTime")), Unix(fields.GetValueOrDefault("EndTime")), fields.GetValueOrDefault("TimeLimit"));
    }

    /// <summary>
    /// A Slurm duration as scontrol prints TimeLimit: [days-]hours:minutes:seconds, minutes:seconds, or
    /// minutes; null for UNLIMITED, Partition_Limit or anything else.
    /// </summary>
    public static TimeSpan? SlurmDuration(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        long days = 0;
        var clock = text;
        var dash = text.IndexOf('-', StringComparison.Ordinal);
        if (dash >= 0)
        {
            if (!long.TryParse(text.AsSpan(0, dash), NumberStyles.None, CultureInfo.InvariantCulture, out days) || days > 1_000_000)
            {
                return null;
            }

            clock = text[(dash + 1)..];
        }

        var parts = clock.Split(':');
        if (parts.Length > 3 || (dash >= 0 && parts.Length == 0))
        {
            return null;
        }

        var values = new long[parts.Length];
        for (var i = 0; i < parts.Length; i++)
        {
            if (!long.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out values[i]) || values[i] > 100_000_000)
            {
                return null;
            }
        }

        // With days, the fields are hours[:minutes[:seconds]]; without, minutes, minutes:seconds or hours:minutes:seconds.
        var seconds = (dash >= 0, values.Length) switch
        {
            (true, 1) => values[0] * 3600,
            (true, 2) => (values[0] * 3600) + (values[1] * 60),
            (_, 3) => (values[0] * 3600) + (values[1] * 60) + values[2],
            (false, 2) => (values[0] * 60) + values[1],
            _ => values[0] * 60,
        };
        seconds += days * 86_400;
        return seconds > 0 ? TimeSpan.FromSeconds(seconds) : null;
    }

    /// <summary>
    /// `bjobs -o "jobid runtimelimit run_time" -hms -json ID` (LSF 10.1): the job's run limit and how long it has
    /// run, from the first record of <c>{"COMMAND":"bjobs","JOBS":1,"RECORDS":[{"JOBID":"...","RUNTIMELIMIT":"01:00:00","RUN_TIME":"00:00:05"}]}</c>.
    /// A job without a run limit shows an empty or "-" RUNTIMELIMIT: null. Written from LSF's documentation, not
    /// tried against a real LSF.
    /// </summary>
    public static (TimeSpan? Limit, TimeSpan? RunTime, string? LimitText) LsfJob(string output)
    {
        try
        {
            using var document = JsonDocument.Parse(output);
            if (document.RootElement.ValueKind != JsonValueKind.Object
                || !document.RootElement.TryGetProperty("RECORDS", out var records)
                || records.ValueKind != JsonValueKind.Array
                || records.GetArrayLength() == 0
                || records[0].ValueKind != JsonValueKind.Object)
            {
                return (null, null, null);
            }

            var record = records[0];
            var limit = Text(record, "RUNTIMELIMIT");
            return (LsfDuration(limit), LsfDuration(Text(record, "RUN_TIME")), limit);
        }
        catch (JsonException)
        {
            return (null, null, null);
        }

        static string? Text(JsonElement record, string name) =>
            record.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
    }

    /// <summary>
    /// An LSF duration as bjobs prints it: hh:mm:ss (with -hms), "N second(s)" (RUN_TIME without -hms), or minutes
    /// with a decimal ("60.0", "60.0/hostA" with ABS_RUNLIMIT, "60.0 min"); null for "-", empty or anything else.
    /// </summary>
    public static TimeSpan? LsfDuration(string? text)
    {
        var value = text?.Trim();
        if (string.IsNullOrEmpty(value) || value == "-")
        {
            return null;
        }

        if (value.Contains(':', StringComparison.Ordinal))
        {
            return GridEngineTime(value);
        }

        if (value.EndsWith("second(s)", StringComparison.Ordinal))
        {
            return long.TryParse(value.AsSpan(0, value.Length - "second(s)".Length).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) && seconds is > 0 and < 100_000_000_000
                ? TimeSpan.FromSeconds(seconds)
                : null;
        }

        var minutes = value.Split('/', ' ')[0];
        return double.TryParse(minutes, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var count) && count is > 0 and < 100_000_000
            ? TimeSpan.FromSeconds(Math.Round(count * 60))
            : null;
    }

    /// <summary>`bparams -a`: JOB_TERMINATE_INTERVAL = 10 (seconds between TERMINATE's SIGINT, SIGTERM and SIGKILL).</summary>
    public static TimeSpan? LsfTerminateInterval(string output)
    {
        foreach (var line in output.Split('\n'))
        {
            var parts = line.Split('=', 2);
            if (parts.Length == 2 && parts[0].Trim() == "JOB_TERMINATE_INTERVAL")
            {
                return int.TryParse(parts[1].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) && seconds is > 0 and < 100_000
                    ? TimeSpan.FromSeconds(seconds)
                    : null;
            }
        }

        return null;
    }

    /// <summary>`scontrol show config`: KillWait = 30 sec.</summary>
    public static TimeSpan? SlurmKillWait(string output)
    {
        foreach (var line in output.Split('\n'))
        {
            var parts = line.Split('=', 2);
            if (parts.Length == 2 && parts[0].Trim() == "KillWait")
            {
                var value = parts[1].Trim().Split(' ')[0];
                return int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) ? TimeSpan.FromSeconds(seconds) : null;
            }
        }

        return null;
    }

    /// <summary>
    /// `qstat -j ID`: the smaller of h_rt and s_rt in "hard resource_list:" / "soft resource_list:"
    /// (SGE prints seconds, UGE may print hh:mm:ss), with which one it was; and whether -notify was given.
    /// </summary>
    public static (TimeSpan? Limit, string? Name, bool Notify) GridEngineJob(string output)
    {
        TimeSpan? limit = null;
        string? name = null;
        var notify = false;
        foreach (var line in output.Split('\n'))
        {
            var parts = line.Split(':', 2);
            if (parts.Length != 2)
            {
                continue;
            }

            var key = parts[0].Trim();
            if (key == "notify")
            {
                notify = parts[1].Trim().Equals("TRUE", StringComparison.OrdinalIgnoreCase);
            }
            else if (key is "hard resource_list" or "soft resource_list")
            {
                foreach (var request in parts[1].Trim().Split(','))
                {
                    var pair = request.Split('=', 2);
                    if (pair.Length == 2 && pair[0].Trim() is "h_rt" or "s_rt" && GridEngineTime(pair[1].Trim()) is { } value && (limit is null || value < limit))
                    {
                        limit = value;
                        name = $"{pair[0].Trim()}={pair[1].Trim()}";
                    }
                }
            }
        }

        return (limit, name, notify);
    }

    /// <summary>`qconf -sq QUEUE`: the notify time (notify 00:00:60).</summary>
    public static TimeSpan? GridEngineNotify(string output)
    {
        foreach (var line in output.Split('\n'))
        {
            var fields = line.Split(' ', 2, StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length == 2 && fields[0] == "notify")
            {
                return GridEngineTime(fields[1].Trim());
            }
        }

        return null;
    }

    /// <summary>Seconds, or [[h:]m:]s; INFINITY and anything else is null.</summary>
    public static TimeSpan? GridEngineTime(string text)
    {
        var parts = text.Split(':');
        if (parts.Length > 3)
        {
            return null;
        }

        long seconds = 0;
        foreach (var part in parts)
        {
            if (!long.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value > 100_000_000)
            {
                return null;
            }

            seconds = (seconds * 60) + value;
        }

        return seconds > 0 ? TimeSpan.FromSeconds(seconds) : null;
    }

    private static Dictionary<string, string> Fields(string output)
    {
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var token in output.Split([' ', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries))
        {
            var pair = token.Split('=', 2);
            if (pair.Length == 2)
            {
                fields.TryAdd(pair[0], pair[1]);
            }
        }

        return fields;
    }

    private static DateTimeOffset? Unix(string? text) =>
        long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) && seconds > 0 && seconds < 100_000_000_000
            ? DateTimeOffset.FromUnixTimeSeconds(seconds)
            : null;
}
