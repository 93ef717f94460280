using WorkerNode.Cli;
using WorkerNode.Configuration;
using WorkerNode.Jobmon;
using WorkerNode.Logging;
using WorkerNode.Reporting;

namespace WorkerNode.Lifecycle;

/// <summary>
/// <c>worker-node spool flush</c>: delivers every spooled report, each to the server recorded in its
/// file, with this invocation's retry budget, token and CA bundle. Exits 0 when nothing it looked at
/// is left undelivered, 199 when some reports are kept or were rejected, 198 when the directory is unusable.
/// </summary>
public sealed class SpoolFlushRun(string directory, WorkerSettings settings, WorkerLog log, TimeProvider time)
{
    public async Task<int> ExecuteAsync(CancellationToken cancellationToken)
    {
        if (File.Exists(directory))
        {
            log.Error($"the spool directory {directory} is a file, not a directory");
            return ExitCodes.Environment;
        }

        // One client per server and cluster, built when a report first needs it.
        var clients = new Dictionary<(ReportDestination Server, string ClusterName), JobmonClient>();
        try
        {
            var flusher = new SpoolFlusher(new SpoolDirectory(directory, time), report => ClientFor(report, clients), log, time);
            var result = await flusher.FlushAsync(int.MaxValue, cancellationToken).ConfigureAwait(false);
            log.Info($"flush of the spool {directory} finished", result.ToLogFields());
            return result.Complete ? 0 : ExitCodes.WorkerFailed;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            log.Error($"cannot read the spool directory {directory}: {exception.Message}");
            return ExitCodes.Environment;
        }
        finally
        {
            foreach (var client in clients.Values)
            {
                client.Dispose();
            }
        }
    }

    private JobmonClient ClientFor(SpooledReport report, Dictionary<(ReportDestination, string), JobmonClient> clients)
    {
        var key = (report.Server, report.ClusterName);
        if (!clients.TryGetValue(key, out var client))
        {
            var http = settings.Http with { ServiceUrl = new Uri(report.Server.ServiceUrl), RoutePrefix = report.Server.RoutePrefix };
            client = JobmonClientFactory.Create(http, settings.Heartbeat, report.Server.ExpectedJobmonVersion, report.ClusterName, log, time);
            clients[key] = client;
        }

        return client;
    }
}
