using System.Net;
using System.Net.Sockets;

namespace WorkerNode.Scheduler;

/// <summary>
/// The host's fully qualified name, as Python's <c>socket.getfqdn()</c> gives it to the Jobmon server: the host
/// name if it already has a dot, else the resolver's canonical name or first dotted alias, else the plain name.
/// </summary>
public sealed class FqdnResolver
{
    /// <summary>How long the DNS lookup may take before the plain host name is used instead.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(2);

    private readonly Func<string> hostName;
    private readonly Func<string, CancellationToken, Task<IPHostEntry>> lookup;
    private readonly TimeProvider time;
    private readonly TimeSpan timeout;

    /// <summary>Resolves through the system resolver, giving up after <see cref="DefaultTimeout"/>.</summary>
    public FqdnResolver(TimeProvider time)
        : this(Dns.GetHostName, Dns.GetHostEntryAsync, time, DefaultTimeout)
    {
    }

    internal FqdnResolver(Func<string> hostName, Func<string, CancellationToken, Task<IPHostEntry>> lookup, TimeProvider time, TimeSpan timeout)
    {
        this.hostName = hostName;
        this.lookup = lookup;
        this.time = time;
        this.timeout = timeout;
    }

    /// <summary>
    /// The FQDN, or the plain host name when DNS fails or is slow: a broken resolver must not stop a task
    /// from running. Only <paramref name="cancellationToken"/> makes this throw.
    /// </summary>
    public async Task<string> ResolveAsync(CancellationToken cancellationToken)
    {
        var name = hostName();
        if (name.Contains('.', StringComparison.Ordinal))
        {
            return name;
        }

        using var deadline = new CancellationTokenSource(timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        try
        {
            // WaitAsync as well: a lookup that ignores its token must not hold the worker either.
            var entry = await lookup(name, linked.Token).WaitAsync(linked.Token).ConfigureAwait(false);
            return Pick(name, entry);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return name;
        }
        catch (Exception e) when (e is SocketException or ArgumentException)
        {
            return name;
        }
    }

    private static string Pick(string name, IPHostEntry entry)
    {
        if (entry.HostName?.Contains('.', StringComparison.Ordinal) == true)
        {
            return entry.HostName;
        }

        foreach (var alias in entry.Aliases ?? [])
        {
            if (alias.Contains('.', StringComparison.Ordinal))
            {
                return alias;
            }
        }

        return name;
    }
}
