using System.Diagnostics.CodeAnalysis;

namespace WorkerNode.Configuration;

/// <summary>Parses one setting; on failure <paramref name="error"/> is a reason that reads after the quoted value.</summary>
internal delegate bool ValueParser<T>(string text, [MaybeNullWhen(false)] out T value, [NotNullWhen(false)] out string? error);
