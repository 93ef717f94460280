using WorkerNode.Execution;
using WorkerNode.Jobmon;
using WorkerNode.Lifecycle;
using WorkerNode.Logging;
using WorkerNode.Reporting;
using WorkerNode.Tests.Reporting;

namespace WorkerNode.Tests.Security;

/// <summary>The spool's own guards: one flusher per node and user, old reports set aside unsent, the worker's secrets kept from the command.</summary>
public sealed class SpoolSafetyTests : IDisposable
{
    private readonly SpoolFiles _files = new();
    private readonly WorkerLog _log = new(new MemoryStream(), LogLevel.Debug, LogFormat.Text, TimeProvider.System);

    public void Dispose() => _files.Dispose();

    [Fact]
    public void OnlyOneFlusherHoldsTheNodesLockAtATime()
    {
        _files.Add();
        var other = new SpoolDirectory(_files.Path, TimeProvider.System);

        using (var first = _files.Spool.TryLockFlush())
        {
            Assert.NotNull(first);
            Assert.Null(other.TryLockFlush());
        }

        using var afterwards = other.TryLockFlush();
        Assert.NotNull(afterwards);
    }

    [Fact]
    public async Task ABackgroundFlushSendsNothingWhileAnotherOnTheNodeHoldsTheLock()
    {
        _files.Add();
        var sender = new FakeSender((envelope, _) => Task.FromResult(envelope.TargetStatus));
        using var held = new SpoolDirectory(_files.Path, TimeProvider.System).TryLockFlush();
        Assert.NotNull(held);

        await using (var background = BackgroundSpoolFlush.Start(_files.Spool, sender, SpoolFiles.Server, _log, TimeProvider.System))
        {
            await background.Completion.WaitAsync(TimeSpan.FromSeconds(20));
        }

        Assert.Empty(sender.Sent);
        Assert.Single(_files.Names());
    }

    [Fact]
    public async Task AReportOlderThanTheMaximumAgeIsSetAsideUnsent()
    {
        var old = SpoolFiles.Report() with { CreatedAt = DateTimeOffset.UtcNow - SpoolFlusher.MaxReportAge - TimeSpan.FromHours(1) };
        _files.Spool.Write(old);
        var sender = new FakeSender((envelope, _) => Task.FromResult(envelope.TargetStatus));

        var result = await new SpoolFlusher(_files.Spool, _ => sender, _log, TimeProvider.System).FlushAsync(10, CancellationToken.None);

        Assert.Empty(sender.Sent);
        Assert.Equal(1, result.Rejected);
        Assert.EndsWith(SpoolDirectory.RejectedSuffix, Assert.Single(_files.Names()), StringComparison.Ordinal);
    }

    [Fact]
    public async Task NoSpoolDirectoryMeansNoFlushAtAll()
    {
        var sender = new FakeSender((envelope, _) => Task.FromResult(envelope.TargetStatus));

        await using var background = BackgroundSpoolFlush.Start(_files.Spool, sender, SpoolFiles.Server, _log, TimeProvider.System, TimeSpan.FromSeconds(2));

        Assert.True(background.Completion.IsCompleted);
        Assert.False(Directory.Exists(_files.Path));
    }

    [Theory]
    [InlineData("JOBMON__HTTP__AUTH_TOKEN", true)]
    [InlineData("jobmon__http__auth_token", true)]
    [InlineData("JOBMON__REDIS__PASSWORD", true)]
    [InlineData("JOBMON__HTTP__AUTH_TOKEN_FILE", false)]
    [InlineData("JOBMON__HTTP__SERVICE_URL", false)]
    [InlineData("GITHUB_TOKEN", false)]
    public void TheWorkersOwnSecretsAreKeptFromTheCommand(string name, bool secret)
    {
        var environment = CommandEnvironment.Build(new Dictionary<string, string> { [name] = "value", ["PATH"] = "/bin" }, new Dictionary<string, string>());

        Assert.Equal(secret, CommandEnvironment.IsWorkerSecret(name));
        Assert.Equal(!secret, environment.Contains($"{name}=value"));
        Assert.Contains("PATH=/bin", environment);
    }
}
