namespace WorkerNode.Configuration;

/// <summary>One <c>section: {key: value}</c> pair of the YAML file, as plain strings (no YamlDotNet type leaks out).</summary>
/// <param name="Section">The top-level section, one of ours.</param>
/// <param name="Key">The key inside the section, known or not.</param>
/// <param name="Value">The scalar's text; null when the value is a list or a mapping.</param>
/// <param name="NonScalar">"a list" or "a mapping" when the value is not a scalar, else null.</param>
internal sealed record ConfigFileEntry(string Section, string Key, string? Value, string? NonScalar);
