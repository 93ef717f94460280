namespace WorkerNode.Configuration;

/// <summary>One layer's value for a key, before parsing.</summary>
/// <param name="Text">The value after <c>$VAR</c> expansion.</param>
/// <param name="Written">The value as written, to show beside the expansion in messages.</param>
/// <param name="Source">Where it came from.</param>
/// <param name="Problem">Set when the value cannot be a setting at all (a YAML list or mapping): the reason.</param>
internal readonly record struct RawValue(string Text, string Written, ValueSource Source, string? Problem = null);
