using WorkerNode.Jobmon;
using WorkerNode.Reporting;
using WorkerNode.Tests.Jobmon;

namespace WorkerNode.Tests.Reporting;

/// <summary>A temporary spool directory and sample spooled reports; removed on dispose.</summary>
internal sealed class SpoolFiles : IDisposable
{
    public static readonly ReportDestination Server = new("http://jobmon.example:8070", "/api/v3", "3.4.0");

    public SpoolFiles()
    {
        Root = Directory.CreateTempSubdirectory("worker-node-spool-tests-").FullName;
        Path = System.IO.Path.Combine(Root, "state", "spool");
        Spool = new SpoolDirectory(Path, TimeProvider.System);
    }

    /// <summary>The temporary directory; the spool itself is two levels below, so that tests see it created.</summary>
    public string Root { get; }

    public string Path { get; }

    public SpoolDirectory Spool { get; }

    public static SpooledReport Report(long taskInstanceId = 12, FinalReport? report = null, ReportDestination? server = null, long? taskId = null) =>
        SpooledReport.Create(
            FinalReportEnvelope.Create(taskInstanceId, report ?? FinalReports.Done()),
            server ?? Server,
            "slurm",
            "node1.cluster",
            "cannot reach the Jobmon server",
            DateTimeOffset.UtcNow,
            taskId);

    /// <summary>Spools a report and returns its file.</summary>
    public string Add(long taskInstanceId = 12, ReportDestination? server = null) => Spool.Write(Report(taskInstanceId, server: server));

    public string[] Names() =>
        Directory.Exists(Path) ? [.. Directory.GetFiles(Path).Select(System.IO.Path.GetFileName).Order()!] : [];

    public void Dispose() => Directory.Delete(Root, recursive: true);
}
