using System.Globalization;
using System.Text;

namespace WorkerNode.Reporting.WorkflowReport;

/// <summary>
/// Every sample of every task as one CSV table (RFC 4180, a header row, '.' decimals), for spreadsheets: the
/// task's identity repeated on each of its rows, empty cells where a figure is not measured.
/// </summary>
public static class CsvExport
{
    public const string Columns = "task,task_instance_id,distributor_id,node,status,t_s,rss_bytes,pss_bytes,cgroup_bytes,cpu_pct,processes,read_bytes,write_bytes";

    public static void Write(TextWriter output, IEnumerable<TaskSummary> tasks)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(tasks);
        output.Write(Columns);
        output.Write("\r\n");
        var line = new StringBuilder(256);
        foreach (var task in tasks)
        {
            var header = task.Header;
            var identity = string.Join(',', Field(header.Task), header.TaskInstanceId?.ToString(CultureInfo.InvariantCulture) ?? string.Empty, Field(header.DistributorId ?? string.Empty), Field(header.Node), Field(header.Status));
            foreach (var sample in task.Profile.Samples)
            {
                line.Clear();
                line.Append(identity).Append(',')
                    .Append(CultureInfo.InvariantCulture, $"{sample.ElapsedSeconds:0.###},{sample.RssBytes},{sample.PssBytes},{sample.CgroupBytes},{sample.CpuPercent:0.#},{sample.Processes},{sample.ReadBytes},{sample.WriteBytes}")
                    .Append("\r\n");
                output.Write(line);
            }
        }
    }

    /// <summary>Quoted when it holds a comma, a quote or a line break; a leading =, +, - or @ is kept as text by a quote mark, so a spreadsheet never runs a task name as a formula.</summary>
    public static string Field(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.Length > 0 && value[0] is '=' or '+' or '-' or '@')
        {
            value = "'" + value;
        }

        return value.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
    }
}
