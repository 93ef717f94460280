namespace WorkerNode.Scheduler;

/// <summary>Reads scheduler variables: a variable set to an empty or blank value counts as unset.</summary>
internal static class EnvironmentValues
{
    public static string? Get(IReadOnlyDictionary<string, string> environment, string name) =>
        environment.TryGetValue(name, out var value) && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;

    /// <summary>A non-negative whole number written in plain digits (no sign, no spaces inside), or null.</summary>
    public static long? ParseCount(string text)
    {
        if (text.Length is 0 or > 18)
        {
            return null;
        }

        long value = 0;
        foreach (var c in text)
        {
            if (!char.IsAsciiDigit(c))
            {
                return null;
            }

            value = (value * 10) + (c - '0');
        }

        return value;
    }
}
