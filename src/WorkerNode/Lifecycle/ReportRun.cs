using System.Globalization;
using System.Text;
using WorkerNode.Reporting.Profiles;
using WorkerNode.Reporting.WorkflowReport;

namespace WorkerNode.Lifecycle;

/// <summary>
/// <c>worker-node report</c>: reads profiles and writes the HTML page, the CSV table, or (with neither asked for)
/// a summary table on stdout. A file that is not a readable profile is skipped with one line saying why.
/// </summary>
public sealed class ReportRun
{
    /// <summary>Nothing could be reported, or the output could not be written.</summary>
    public const int Failed = 1;

    private readonly ReportOptions _options;
    private readonly TextWriter _output;
    private readonly TextWriter _error;
    private readonly TimeProvider _time;

    public ReportRun(ReportOptions options, TextWriter output, TextWriter error, TimeProvider time)
    {
        _options = options;
        _output = output;
        _error = error;
        _time = time;
    }

    public int Execute()
    {
        IReadOnlyList<string> files;
        try
        {
            files = ProfileReader.Find(_options.Inputs);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            _error.WriteLine($"worker-node report: {exception.Message}");
            return Failed;
        }

        var tasks = Read(files);
        if (tasks.Count == 0)
        {
            _error.WriteLine($"worker-node report: no readable profile in {string.Join(' ', _options.Inputs)} (profiles are *.jsonl files written by 'run --metrics' or worker_node.metrics_dir)");
            return Failed;
        }

        tasks.Sort((left, right) => left.Header.StartedAt != right.Header.StartedAt
            ? left.Header.StartedAt.CompareTo(right.Header.StartedAt)
            : string.CompareOrdinal(left.Header.Task, right.Header.Task));
        var hints = RightSizing.Hints(tasks);
        if (_options.HtmlFile is { } htmlFile)
        {
            var page = Encoding.UTF8.GetBytes(HtmlReport.Render(tasks, hints, _time.GetUtcNow()));
            if (!TryWrite(htmlFile, page))
            {
                return Failed;
            }

            _output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"worker-node report: wrote {htmlFile} ({tasks.Count} {(tasks.Count == 1 ? "task" : "tasks")}, {page.Length / 1024.0:0} KiB)"));
        }

        if (_options.CsvFile is { } csvFile)
        {
            if (csvFile == "-")
            {
                CsvExport.Write(_output, tasks);
            }
            else
            {
                using var text = new StringWriter(CultureInfo.InvariantCulture);
                CsvExport.Write(text, tasks);
                if (!TryWrite(csvFile, Encoding.UTF8.GetBytes(text.ToString())))
                {
                    return Failed;
                }

                _output.WriteLine($"worker-node report: wrote {csvFile}");
            }
        }

        if (_options.HtmlFile is null && _options.CsvFile is null)
        {
            TerminalSummary.Write(_output, tasks, hints);
        }

        return 0;
    }

    private List<TaskSummary> Read(IReadOnlyList<string> files)
    {
        var summaries = new TaskSummary?[files.Count];
        var problems = new string?[files.Count];
        // Files are independent: read them on every core (10,000 profiles are mostly parsing).
        Parallel.For(0, files.Count, i =>
        {
            try
            {
                summaries[i] = TaskSummary.Of(ProfileReader.Read(files[i]));
            }
            catch (ProfileFormatException exception)
            {
                problems[i] = exception.Message;
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                problems[i] = $"{files[i]}: {(exception is UnauthorizedAccessException ? "permission denied" : exception.Message)}";
            }
        });

        foreach (var problem in problems)
        {
            if (problem is not null)
            {
                _error.WriteLine($"worker-node report: skipped {problem}");
            }
        }

        return summaries.OfType<TaskSummary>().ToList();
    }

    private bool TryWrite(string path, byte[] content)
    {
        try
        {
            ProfileFile.WriteReplacing(path, content);
            return true;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            _error.WriteLine($"worker-node report: cannot write {path}: {(exception is UnauthorizedAccessException ? "permission denied" : exception.Message)}");
            return false;
        }
    }
}
