using System.Reflection;
using System.Runtime.Loader;

namespace WorkerNode.Tests.Configuration;

/// <summary>
/// Without a config file the loader must not load YamlDotNet at all (start-up cost on every task). The check
/// loads the worker's assembly into a fresh load context and records every assembly that code asks for.
/// </summary>
public sealed class YamlAssemblyIsolationTests : IDisposable
{
    private readonly TempDirectory dir = new();

    public void Dispose() => dir.Dispose();

    [Fact]
    public void Loading_without_a_config_file_never_asks_for_YamlDotNet()
    {
        var requested = LoadInFreshContext(configFile: null, new Dictionary<string, string> { ["JOBMON__HTTP__REQUEST_TIMEOUT"] = "30" });
        Assert.DoesNotContain("YamlDotNet", requested);
    }

    [Fact]
    public void Loading_with_a_config_file_does_ask_for_YamlDotNet()
    {
        var file = dir.Write("jobmon.yaml", "http:\n  request_timeout: 30\n");
        var requested = LoadInFreshContext(file, []);
        Assert.Contains("YamlDotNet", requested);
    }

    private static List<string> LoadInFreshContext(string? configFile, Dictionary<string, string> environment)
    {
        var context = new RecordingContext();
        try
        {
            var assembly = context.LoadFromAssemblyPath(typeof(WorkerNode.Configuration.ConfigurationLoader).Assembly.Location);
            var inputType = assembly.GetType("WorkerNode.Configuration.ConfigurationInput", throwOnError: true)!;
            var input = Activator.CreateInstance(inputType, configFile, environment, Array.Empty<(string, string, string)>());
            var load = assembly.GetType("WorkerNode.Configuration.ConfigurationLoader", throwOnError: true)!
                .GetMethod("Load", BindingFlags.Public | BindingFlags.Static)!;
            var settings = load.Invoke(null, [input]);
            Assert.Contains("RequestTimeout = 00:00:30", settings!.ToString(), StringComparison.Ordinal);
            return context.Requested;
        }
        finally
        {
            context.Unload();
        }
    }

    private sealed class RecordingContext() : AssemblyLoadContext("yaml-isolation-probe", isCollectible: true)
    {
        public List<string> Requested { get; } = [];

        protected override Assembly? Load(AssemblyName assemblyName)
        {
            Requested.Add(assemblyName.Name ?? string.Empty);
            return null;
        }
    }
}
