namespace WorkerNode.Cli;

/// <summary>A command-line flag that sets a configuration key; its value is validated with the key's rules.</summary>
/// <param name="Name">The flag, e.g. --request-timeout.</param>
/// <param name="Key">The configuration key, e.g. http.request_timeout.</param>
/// <param name="Description">Help text.</param>
/// <param name="ServerModeOnly">True for keys only server mode uses.</param>
/// <param name="IsSwitch">True when the flag may be given without a value (meaning true).</param>
internal sealed record ConfigFlag(string Name, string Key, string Description, bool ServerModeOnly, bool IsSwitch = false);
