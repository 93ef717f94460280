using System.Globalization;

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
