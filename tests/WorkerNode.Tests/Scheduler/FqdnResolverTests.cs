using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using WorkerNode.Scheduler;

namespace WorkerNode.Tests.Scheduler;

public sealed class FqdnResolverTests
{
    [Fact]
    public async Task A_dotted_host_name_is_used_without_a_lookup()
    {
        var resolver = Resolver("node1.cluster.example", (_, _) => throw new InvalidOperationException("no lookup expected"));
        Assert.Equal("node1.cluster.example", await resolver.ResolveAsync(CancellationToken.None));
    }

    [Fact]
    public async Task The_canonical_name_is_taken_when_dotted()
    {
        var resolver = Resolver("node1", (name, _) => Task.FromResult(Entry("node1.cluster.example", "node1")));
        Assert.Equal("node1.cluster.example", await resolver.ResolveAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Otherwise_the_first_dotted_alias()
    {
        var resolver = Resolver("node1", (_, _) => Task.FromResult(Entry("node1", "n1", "node1.ihme.example", "node1.other.example")));
        Assert.Equal("node1.ihme.example", await resolver.ResolveAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Otherwise_the_plain_host_name()
    {
        var resolver = Resolver("node1", (_, _) => Task.FromResult(Entry("localhost", "n1")));
        Assert.Equal("node1", await resolver.ResolveAsync(CancellationToken.None));
    }

    [Fact]
    public async Task A_failed_lookup_gives_the_plain_host_name()
    {
        var resolver = Resolver("node1", (_, _) => Task.FromException<IPHostEntry>(new SocketException((int)SocketError.HostNotFound)));
        Assert.Equal("node1", await resolver.ResolveAsync(CancellationToken.None));
    }

    [Fact(Timeout = 10_000)]
    public async Task A_hanging_lookup_is_abandoned_after_the_timeout()
    {
        // A lookup that ignores its cancellation token and never answers, like a resolver stuck on a dead server.
        var never = new TaskCompletionSource<IPHostEntry>();
        var resolver = Resolver("node1", (_, _) => never.Task, TimeSpan.FromMilliseconds(100));

        var watch = Stopwatch.StartNew();
        Assert.Equal("node1", await resolver.ResolveAsync(CancellationToken.None));
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"took {watch.Elapsed}");
    }

    [Fact(Timeout = 10_000)]
    public async Task The_callers_cancellation_is_not_swallowed()
    {
        var never = new TaskCompletionSource<IPHostEntry>();
        var resolver = Resolver("node1", (_, _) => never.Task, TimeSpan.FromMinutes(5));
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(50));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => resolver.ResolveAsync(cancel.Token));
    }

    [Fact(Timeout = 30_000)]
    public async Task The_system_resolver_gives_this_hosts_name()
    {
        var name = await new FqdnResolver(TimeProvider.System).ResolveAsync(CancellationToken.None);
        var plain = Dns.GetHostName();
        Assert.True(name == plain || (name.Contains('.', StringComparison.Ordinal) && !plain.Contains('.', StringComparison.Ordinal)), $"{name} for host {plain}");
    }

    private static FqdnResolver Resolver(string hostName, Func<string, CancellationToken, Task<IPHostEntry>> lookup, TimeSpan? timeout = null) =>
        new(() => hostName, lookup, TimeProvider.System, timeout ?? TimeSpan.FromSeconds(2));

    private static IPHostEntry Entry(string hostName, params string[] aliases) =>
        new() { HostName = hostName, Aliases = aliases, AddressList = [IPAddress.Loopback] };
}
