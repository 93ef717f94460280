using System.Net;
using System.Net.Sockets;

namespace WorkerNode.IntegrationTests.Harness;

/// <summary>The <c>down</c> fault: the port really refuses connections for a while, then the same port serves the same state.</summary>
public sealed class DownFaultTests
{
    private static readonly object Heartbeat = new { next_report_increment = 279.0 };

    [Fact]
    public async Task Down_refuses_connections_then_listens_again_on_the_same_port_with_the_state_intact()
    {
        await using var harness = await RunningHarness.StartAsync();
        var id = await harness.CreateTaskInstanceInAsync("R");
        var port = harness.Server.Port;

        var fault = await harness.ArmFaultAsync(new { mode = "down", seconds = 3 });

        Assert.Equal("down", fault.GetProperty("mode").GetString());
        await Eventually.HoldsAsync(async () => await ProbeAsync(harness, id) == Probe.Refused, "a worker's request is refused");
        await Eventually.HoldsAsync(async () => await ProbeAsync(harness, id) == Probe.Answered, "the harness answers again");
        Assert.Equal(port, harness.Server.Port);
        Assert.Equal("D", await harness.PostForStatusAsync($"task_instance/{id}/log_done", new { }));
        var instance = await harness.TaskInstanceAsync(id);
        Assert.Equal(["I", "R", "D"], instance.GetProperty("status_history").EnumerateArray().Select(change => change.GetProperty("to").GetString()));
        var recorded = Assert.Single(await harness.FaultsAsync());
        Assert.Equal(1, recorded.GetProperty("fired").GetInt32());
    }

    [Fact]
    public async Task Disposing_during_an_outage_ends_it_without_listening_again()
    {
        var harness = await RunningHarness.StartAsync();
        var id = await harness.CreateTaskInstanceInAsync("R");
        await harness.ArmFaultAsync(new { mode = "down", seconds = 600 });
        await Eventually.HoldsAsync(async () => await ProbeAsync(harness, id) == Probe.Refused, "a worker's request is refused");

        using var deadline = new CancellationTokenSource(RunningHarness.CallTimeout);
        await harness.DisposeAsync().AsTask().WaitAsync(deadline.Token);

        using var probe = new TcpClient();
        var refused = await Assert.ThrowsAsync<SocketException>(() => probe.ConnectAsync(IPAddress.Loopback, harness.Server.Port, deadline.Token).AsTask());
        Assert.Equal(SocketError.ConnectionRefused, refused.SocketErrorCode);
    }

    private enum Probe
    {
        Answered,
        Refused,

        /// <summary>Connected but not answered: a request caught while the harness was shutting its connections.</summary>
        Dropped,
    }

    private static async Task<Probe> ProbeAsync(RunningHarness harness, long id)
    {
        try
        {
            await harness.PostApiAsync($"task_instance/{id}/log_report_by", Heartbeat, TimeSpan.FromSeconds(5));
            return Probe.Answered;
        }
        catch (HttpRequestException e) when (e.InnerException is SocketException { SocketErrorCode: SocketError.ConnectionRefused })
        {
            return Probe.Refused;
        }
        catch (HttpRequestException)
        {
            return Probe.Dropped;
        }
    }
}
