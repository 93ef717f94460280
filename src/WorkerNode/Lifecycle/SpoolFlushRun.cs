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
public sealed class SpoolFlushRun
{
    private readonly string _directory;
    private readonly WorkerSettings _settings;
    private readonly WorkerLog _log;
    private readonly TimeProvider _time;

    public SpoolFlushRun(string directory, WorkerSettings settings, WorkerLog log, TimeProvider time)
    {
        _directory = directory;
        _settings = settings;
        _log = log;
        _time = time;
    }

    public async Task<int> ExecuteAsync(CancellationToken cancellationToken)
    {
        if (File.Exists(_directory))
        {
            _log.Error($"the spool directory {_directory} is a file, not a directory");
            return ExitCodes.Environment;
        }

        // One client per server and cluster, built when a report first needs it.
        var clients = new Dictionary<(ReportDestination Server, string ClusterName), JobmonClient>();
        try
        {
            var flusher = new SpoolFlusher(new SpoolDirectory(_directory, _time), report => ClientFor(report, clients), _log, _time);
            var result = await flusher.FlushAsync(int.MaxValue, cancellationToken).ConfigureAwait(false);
            _log.Info($"flush of the spool {_directory} finished", result.ToLogFields());
            return result.Complete ? 0 : ExitCodes.WorkerFailed;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            _log.Error($"cannot read the spool directory {_directory}: {exception.Message}");
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
            var http = _settings.Http with { ServiceUrl = new Uri(report.Server.ServiceUrl), RoutePrefix = report.Server.RoutePrefix };
            client = JobmonClientFactory.Create(http, _settings.Heartbeat, report.Server.ExpectedJobmonVersion, report.ClusterName, _log, _time);
            clients[key] = client;
        }

        return client;
    }
}
