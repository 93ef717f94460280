using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using WorkerNode.Logging;

namespace WorkerNode.Configuration;

/// <summary>
/// Builds <see cref="WorkerSettings"/> from defaults &lt; the YAML file &lt; JOBMON__SECTION__KEY variables &lt;
/// flags, validating every value once, against the key registry (<see cref="ConfigKeys"/>).
/// </summary>
public static class ConfigurationLoader
{
    private const int MaxShownValueLength = 120;

    /// <summary>
    /// Loads and validates every setting. An empty value in any layer counts as not given. Throws
    /// <see cref="ConfigurationException"/> (one line, usage or environment error) for anything unusable.
    /// </summary>
    public static WorkerSettings Load(ConfigurationInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var keys = ConfigKeys.All;

        // The winning raw value of each key: layers are read lowest first, so a later one overwrites.
        var winners = new RawValue?[keys.Length];
        var warnings = new List<string>();
        ReadConfigFile(input, winners, warnings);
        ReadEnvironment(input.Environment, winners);
        ReadFlags(input.Flags, winners);
        if (!input.UsesServer)
        {
            for (var i = 0; i < keys.Length; i++)
            {
                if (keys[i].ServerOnly)
                {
                    winners[i] = null;
                }
            }
        }

        var settings = new WorkerSettings();
        for (var i = 0; i < keys.Length; i++)
        {
            if (winners[i] is { } raw)
            {
                Apply(keys[i], raw, ref settings);
            }
        }

        CheckReportByIncrement(settings, winners);
        settings = ResolveFiles(settings, winners);
        return warnings.Count == 0 ? settings : settings with { Warnings = warnings };
    }

    /// <summary>The error server mode reports when no service URL was given anywhere.</summary>
    public static ConfigurationException MissingServiceUrl() => new(
        $"{ConfigKeys.ServiceUrl.FullName} is not set: give --service-url, {ConfigKeys.ServiceUrl.EnvironmentVariable} or {ConfigKeys.ServiceUrl.FullName} in the config file",
        ConfigurationErrorKind.Environment);

    private static void ReadConfigFile(ConfigurationInput input, RawValue?[] winners, List<string> warnings)
    {
        string path;
        string origin;
        if (input.ConfigFile is not null)
        {
            if (string.IsNullOrWhiteSpace(input.ConfigFile))
            {
                throw new ConfigurationException("--config: the config file path is empty", ConfigurationErrorKind.Usage);
            }

            (path, origin) = (input.ConfigFile, "--config");
        }
        else if (input.Environment.TryGetValue(ConfigKeys.ConfigFileVariable, out var variable) && !string.IsNullOrWhiteSpace(variable))
        {
            (path, origin) = (EnvironmentExpander.Expand(variable.Trim(), input.Environment), ConfigKeys.ConfigFileVariable);
        }
        else
        {
            return;
        }

        ConfigurationException CannotRead(string reason) =>
            new($"config file {path} (from {origin}): cannot read: {reason}", ConfigurationErrorKind.Environment);

        string text;
        try
        {
            text = Directory.Exists(path) ? throw CannotRead("Is a directory") : File.ReadAllText(path);
        }
        catch (Exception e) when (IoErrorText.IsFileError(e))
        {
            throw CannotRead(IoErrorText.Describe(e));
        }

        ReadConfigFileEntries(path, text, input.Environment, winners, warnings);
    }

    // Kept out of line so that the JIT compiling Load never has to look at the YAML code path.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ReadConfigFileEntries(string path, string text, IReadOnlyDictionary<string, string> environment, RawValue?[] winners, List<string> warnings)
    {
        var source = ValueSource.File(path);
        foreach (var entry in YamlConfigFile.Parse(path, text))
        {
            // Unknown keys of http and heartbeat are Jobmon's own (the same file configures its client and
            // server); worker_node is ours alone, so an unknown key there is a typo that would silently lose a
            // setting (a memory_limt is no limit): say so, with the key meant.
            var index = ConfigKeys.IndexOf(entry.Section, entry.Key);
            if (index < 0)
            {
                if (entry.Section == "worker_node")
                {
                    warnings.Add(UnknownKeyWarning(path, entry));
                }

                continue;
            }

            var value = entry.Value is null
                ? new RawValue(string.Empty, string.Empty, source, entry.NonScalar)
                : new RawValue(EnvironmentExpander.Expand(entry.Value, environment), entry.Value, source);
            Offer(winners, index, value);
        }
    }

    private static string UnknownKeyWarning(string path, ConfigFileEntry entry)
    {
        var known = new List<string>();
        foreach (var key in ConfigKeys.All)
        {
            if (key.Section == entry.Section)
            {
                known.Add(key.Name);
            }
        }

        var closest = KeyDistance.Closest(entry.Key, known);
        var name = Quote(entry.Key);
        return closest is null
            ? $"config file {path}: unknown key {entry.Section}.{name[1..^1]} is ignored"
            : $"config file {path}: unknown key {entry.Section}.{name[1..^1]} is ignored; did you mean {entry.Section}.{closest}?";
    }

    private static void ReadEnvironment(IReadOnlyDictionary<string, string> environment, RawValue?[] winners)
    {
        var keys = ConfigKeys.All;
        for (var i = 0; i < keys.Length; i++)
        {
            if (environment.TryGetValue(keys[i].EnvironmentVariable, out var written))
            {
                var value = new RawValue(EnvironmentExpander.Expand(written, environment), written, ValueSource.Variable(keys[i].EnvironmentVariable));
                Offer(winners, i, value);
            }
        }
    }

    private static void ReadFlags(IReadOnlyList<(string Key, string Value, string FlagName)> flags, RawValue?[] winners)
    {
        // Flag values were expanded by the user's shell already; "$" in them is meant literally. An array (the
        // usual case) is walked as one: going through IReadOnlyList would cost JIT work on every start.
        if (flags is (string Key, string Value, string FlagName)[] array)
        {
            foreach (var flag in array)
            {
                ReadFlag(flag, winners);
            }

            return;
        }

        for (var i = 0; i < flags.Count; i++)
        {
            ReadFlag(flags[i], winners);
        }
    }

    private static void ReadFlag((string Key, string Value, string FlagName) flag, RawValue?[] winners)
    {
        var (key, value, flagName) = flag;
        var index = ConfigKeys.IndexOf(key);
        if (index < 0)
        {
            throw new ArgumentException($"{flagName} is mapped to '{key}', which is not a configuration key", nameof(flag));
        }

        Offer(winners, index, new RawValue(value, value, ValueSource.Flag(flagName)));
    }

    private static void Offer(RawValue?[] winners, int index, RawValue value)
    {
        // An empty value means "not given" (the usual way to blank a variable), so it overrides nothing.
        if (value.Problem is not null || !string.IsNullOrWhiteSpace(value.Text))
        {
            winners[index] = value;
        }
    }

    private static void Apply(ConfigKey key, RawValue raw, ref WorkerSettings settings)
    {
        if (raw.Problem is not null)
        {
            throw new ConfigurationException(
                $"{key.FullName}: expects a single value, not {raw.Problem} (from {raw.Source.Description})",
                raw.Source.Kind);
        }

        if (!key.TryApply(ref settings, raw.Text, out var error))
        {
            var shown = key.IsSecret ? "the value" : Show(raw, key.IsUrl);
            throw new ConfigurationException($"{key.FullName}: {shown} {error} (from {raw.Source.Description})", raw.Source.Kind);
        }
    }

    /// <summary>
    /// interval × buffer is sent as next_report_increment and waited for by the worker's lost-server timer, so it
    /// has the same 24-day bound as any interval even when each factor is within its own.
    /// </summary>
    private static void CheckReportByIncrement(WorkerSettings settings, RawValue?[] winners)
    {
        var heartbeat = settings.Heartbeat;
        var increment = heartbeat.NextReportIncrementSeconds;
        if (increment <= ConfigValueParsers.MaxInterval.TotalSeconds)
        {
            return;
        }

        var interval = winners[ConfigKeys.IndexOf(ConfigKeys.HeartbeatInterval)];
        var buffer = winners[ConfigKeys.IndexOf(ConfigKeys.ReportByBuffer)];

        // Blame the layer that ranks highest: changing it is what fixes the product.
        var blamed = interval is not { } i ? buffer!.Value.Source
            : buffer is not { } b ? i.Source
            : b.Source.Rank >= i.Source.Rank ? b.Source : i.Source;
        var days = increment / 86400;
        var shownDays = days < 1_000_000 ? days.ToString("0.#", CultureInfo.InvariantCulture) : "over a million";
        throw new ConfigurationException(
            $"{ConfigKeys.HeartbeatInterval.FullName} × {ConfigKeys.ReportByBuffer.FullName} (the next_report_increment) {ConfigValueParsers.TooLong(ConfigValueParsers.MaxInterval)}, not {shownDays} days: "
            + $"{Factor(interval, DisplayFormat.Duration(heartbeat.Interval))} × {Factor(buffer, heartbeat.ReportByBuffer.ToString(CultureInfo.InvariantCulture))}",
            blamed.Kind);

        static string Factor(RawValue? raw, string defaultText) =>
            raw is { } given ? $"{Show(given)} (from {given.Source.Description})" : $"{defaultText} (the default)";
    }

    private static WorkerSettings ResolveFiles(WorkerSettings settings, RawValue?[] winners)
    {
        var token = winners[ConfigKeys.IndexOf(ConfigKeys.AuthToken)];
        if (winners[ConfigKeys.IndexOf(ConfigKeys.AuthTokenFile)] is { } tokenFile && settings.Http.AuthTokenFile is { } tokenPath)
        {
            if (token is { } direct && direct.Source.Rank == tokenFile.Source.Rank)
            {
                throw new ConfigurationException(
                    $"{ConfigKeys.AuthToken.FullName} and {ConfigKeys.AuthTokenFile.FullName} are both set (from {tokenFile.Source.Description}); give only one",
                    tokenFile.Source.Kind);
            }

            // The higher layer wins, as for any key; a token file that loses is not even opened.
            if (token is null || tokenFile.Source.Rank > token.Value.Source.Rank)
            {
                settings = settings with { Http = settings.Http with { AuthToken = ConfiguredFiles.ReadAuthToken(tokenPath) } };
            }
        }

        if (settings.Http.CaBundle is { } caBundle)
        {
            ConfiguredFiles.CheckCaBundle(caBundle);
        }

        return settings;
    }

    // 'value', or 'value' (expanded from '$VAR') when expansion changed it; credentials in URLs masked (any
    // value may hold one), control characters escaped so that the message stays on one line, and long values cut.
    private static string Show(RawValue raw, bool isUrl = false)
    {
        Func<string, string> redact = isUrl ? UrlRedaction.RedactWritten : UrlRedaction.Redact;
        var text = Quote(redact(raw.Text));
        return raw.Written == raw.Text ? text : $"{text} (expanded from {Quote(redact(raw.Written))})";
    }

    private static string Quote(string value)
    {
        var text = new StringBuilder(Math.Min(value.Length, MaxShownValueLength) + 8).Append('\'');
        foreach (var c in value.Length > MaxShownValueLength ? value.AsSpan(0, MaxShownValueLength) : value.AsSpan())
        {
            _ = c switch
            {
                '\n' => text.Append("\\n"),
                '\r' => text.Append("\\r"),
                '\t' => text.Append("\\t"),
                _ when char.IsControl(c) => text.Append($"\\x{(int)c:x2}"),
                _ => text.Append(c),
            };
        }

        return text.Append(value.Length > MaxShownValueLength ? "...'" : "'").ToString();
    }
}
