using System.Net;
using System.Net.Sockets;

namespace WorkerNode.IntegrationTests.Infrastructure;

/// <summary>Ports on 127.0.0.1 for tests of a server that cannot be reached.</summary>
public static class LoopbackPort
{
    /// <summary>A port the kernel just handed out and that nothing listens on any more: connecting is refused at once.</summary>
    public static int Closed()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
