namespace WorkerNode.Configuration;

/// <summary>A <see cref="ConfigKey"/> whose parsed value has type <typeparamref name="T"/>.</summary>
internal sealed class ConfigKey<T> : ConfigKey
{
    private readonly ValueParser<T> parse;
    private readonly Func<WorkerSettings, T, WorkerSettings> apply;

    public ConfigKey(string section, string name, ValueParser<T> parse, Func<WorkerSettings, T, WorkerSettings> apply, bool isSecret, bool isUrl)
        : base(section, name, isSecret, isUrl)
    {
        this.parse = parse;
        this.apply = apply;
    }

    public override bool TryApply(ref WorkerSettings settings, string text, out string? error)
    {
        if (!parse(text, out var value, out error))
        {
            return false;
        }

        settings = apply(settings, value);
        return true;
    }
}
