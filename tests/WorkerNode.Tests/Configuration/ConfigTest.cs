using WorkerNode.Configuration;

namespace WorkerNode.Tests.Configuration;

/// <summary>Short ways to call the loader from tests.</summary>
internal static class ConfigTest
{
    public const UnixFileMode Private = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    public static Dictionary<string, string> Env(params (string Name, string Value)[] variables) =>
        variables.ToDictionary(v => v.Name, v => v.Value);

    public static WorkerSettings Load(string? configFile = null, Dictionary<string, string>? environment = null, params (string Key, string Value, string FlagName)[] flags) =>
        ConfigurationLoader.Load(new ConfigurationInput(configFile, environment ?? [], flags));

    public static ConfigurationException Fails(string? configFile = null, Dictionary<string, string>? environment = null, params (string Key, string Value, string FlagName)[] flags) =>
        Assert.Throws<ConfigurationException>(() => Load(configFile, environment, flags));
}
