using System.Text;
using WorkerNode.Configuration;
using WorkerNode.Jobmon;
using WorkerNode.Logging;

namespace WorkerNode.Tests.Jobmon;

/// <summary>Clients with small retry budgets, and a log that the test can read.</summary>
internal sealed class TestClients
{
    public const string Version = "3.4.1";

    private readonly MemoryStream _logSink = new();

    public TestClients() => Log = new WorkerLog(_logSink, LogLevel.Debug, LogFormat.Text, TimeProvider.System);

    public WorkerLog Log { get; }

    public string LogText => Encoding.UTF8.GetString(_logSink.ToArray());

    /// <summary>
    /// 3 attempts in 8 s at most: failures end quickly. Each attempt may take 5 s, so that a busy
    /// machine (the integration tests run beside these) does not turn a slow first answer into a retry.
    /// </summary>
    public static HttpSettings Small(Uri serviceUrl) => new()
    {
        ServiceUrl = serviceUrl,
        RetriesAttempts = 3,
        RetriesTimeout = TimeSpan.FromSeconds(8),
        RequestTimeout = TimeSpan.FromSeconds(5),
    };

    /// <summary>10 attempts in 60 s: a test that ends sooner did not need the budget.</summary>
    public static HttpSettings Generous(Uri serviceUrl) =>
        Small(serviceUrl) with { RetriesAttempts = 10, RetriesTimeout = TimeSpan.FromSeconds(60) };

    public JobmonClient Create(HttpSettings http, HeartbeatSettings? heartbeat = null) =>
        JobmonClientFactory.Create(http, heartbeat ?? new HeartbeatSettings(), Version, "slurm", Log);

    public static HeartbeatReport Heartbeat() => new(279, "/o", "/e", null, null);

    public static RunningReport Running() => new("node1.cluster", 4242, 279.0, "1234_5");

    public static string Assignment(long id = 12, string status = "R") =>
        $$"""{"task_instance": [{{id}}, "{{status}}", 7, 8, "my_task", "echo hi", 9, "/out", "/err"]}""";
}
