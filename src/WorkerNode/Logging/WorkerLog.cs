using System.Globalization;
using System.Text;
using System.Text.Json;
using WorkerNode.Interop;

namespace WorkerNode.Logging;

/// <summary>
/// The worker's own log: one line per event on stderr, structured, with the task's context on
/// every line. Deliberately small (not Serilog): every millisecond of start-up is paid once per
/// task, and Serilog's console pipeline costs about 20 ms to start on this class of machine.
/// Writing never throws: a worker whose stderr is gone must still run and report its command.
/// </summary>
public sealed class WorkerLog
{
    private readonly Stream _sink;
    private readonly LogLevel _minimum;
    private readonly LogFormat _format;
    private readonly TimeProvider _time;
    private readonly int _pid = Environment.ProcessId;
    private readonly Lock _gate = new();

    public WorkerLog(Stream sink, LogLevel minimum, LogFormat format, TimeProvider time)
    {
        _sink = sink;
        _minimum = minimum;
        _format = format;
        _time = time;
    }

    /// <summary>The task identity appended to every line.</summary>
    public LogContext Context { get; } = new();

    /// <summary>A log writing to this process's stderr (file descriptor 2), one write(2) per line.</summary>
    public static WorkerLog ToStandardError(LogLevel minimum, LogFormat format, TimeProvider time) =>
        new(new DescriptorStream(2), minimum, format, time);

    public bool IsEnabled(LogLevel level) => level >= _minimum;

    public void Debug(string message, params ReadOnlySpan<LogField> fields) => Write(LogLevel.Debug, message, fields);

    public void Info(string message, params ReadOnlySpan<LogField> fields) => Write(LogLevel.Info, message, fields);

    public void Warning(string message, params ReadOnlySpan<LogField> fields) => Write(LogLevel.Warning, message, fields);

    public void Error(string message, params ReadOnlySpan<LogField> fields) => Write(LogLevel.Error, message, fields);

    public void Write(LogLevel level, string message, ReadOnlySpan<LogField> fields)
    {
        if (!IsEnabled(level))
        {
            return;
        }

        var timestamp = _time.GetUtcNow();
        var line = _format == LogFormat.Json
            ? FormatJson(timestamp, level, message, fields)
            : FormatText(timestamp, level, message, fields);
        var bytes = Encoding.UTF8.GetBytes(line);
        lock (_gate)
        {
            try
            {
                // One write per line keeps lines whole when several processes share stderr.
                _sink.Write(bytes);
            }
            catch (IOException)
            {
                // stderr closed or full: the command and the report matter more than this line.
            }
            catch (ObjectDisposedException)
            {
            }
        }
    }

    private string FormatText(DateTimeOffset timestamp, LogLevel level, string message, ReadOnlySpan<LogField> fields)
    {
        var text = new StringBuilder(160);
        text.Append(timestamp.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture))
            .Append(" worker-node[").Append(_pid).Append("] ")
            .Append(LevelName(level)).Append(' ')
            .Append(message);
        foreach (var field in fields)
        {
            AppendTextField(text, field.Key, field.Value);
        }

        AppendTextField(text, "task_instance_id", Context.TaskInstanceId);
        AppendTextField(text, "distributor_id", Context.DistributorId);
        AppendTextField(text, "nodename", Context.Nodename);
        return text.Append('\n').ToString();
    }

    private static void AppendTextField(StringBuilder text, string key, object? value)
    {
        if (value is null)
        {
            return;
        }

        var rendered = Render(value);
        text.Append(' ').Append(key).Append('=');
        if (rendered.Length == 0 || rendered.AsSpan().IndexOfAny(" \"=\\") >= 0 || rendered.AsSpan().ContainsAnyInRange('\0', '\x1f'))
        {
            AppendQuoted(text, rendered);
        }
        else
        {
            text.Append(rendered);
        }
    }

    /// <summary>
    /// Quotes a value the way JSON quotes a string, so that a line stays one line and parses as
    /// key=value. Written by hand: System.Text.Json costs ~15 ms to start, paid by every task.
    /// </summary>
    private static void AppendQuoted(StringBuilder text, string value)
    {
        text.Append('"');
        foreach (var character in value)
        {
            switch (character)
            {
                case '"':
                    text.Append("\\\"");
                    break;
                case '\\':
                    text.Append("\\\\");
                    break;
                case '\n':
                    text.Append("\\n");
                    break;
                case '\r':
                    text.Append("\\r");
                    break;
                case '\t':
                    text.Append("\\t");
                    break;
                case < ' ':
                    text.Append("\\u").Append(((int)character).ToString("x4", CultureInfo.InvariantCulture));
                    break;
                default:
                    text.Append(character);
                    break;
            }
        }

        text.Append('"');
    }

    private string FormatJson(DateTimeOffset timestamp, LogLevel level, string message, ReadOnlySpan<LogField> fields)
    {
        using var buffer = new MemoryStream(256);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("time", timestamp.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
            json.WriteString("level", LevelName(level).ToLowerInvariant());
            json.WriteString("logger", "worker-node");
            json.WriteNumber("pid", _pid);
            json.WriteString("message", message);
            foreach (var field in fields)
            {
                WriteJsonField(json, field.Key, field.Value);
            }

            WriteJsonField(json, "task_instance_id", Context.TaskInstanceId);
            WriteJsonField(json, "distributor_id", Context.DistributorId);
            WriteJsonField(json, "nodename", Context.Nodename);
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length) + "\n";
    }

    private static void WriteJsonField(Utf8JsonWriter json, string key, object? value)
    {
        switch (value)
        {
            case null:
                return;
            case bool flag:
                json.WriteBoolean(key, flag);
                return;
            case int or long or short or byte or uint or ulong:
                json.WriteNumber(key, Convert.ToInt64(value, CultureInfo.InvariantCulture));
                return;
            case double or float or decimal:
                json.WriteNumber(key, Convert.ToDouble(value, CultureInfo.InvariantCulture));
                return;
            default:
                json.WriteString(key, Render(value));
                return;
        }
    }

    private static string Render(object value) => value switch
    {
        string text => text,
        double number => number.ToString("0.###", CultureInfo.InvariantCulture),
        float number => number.ToString("0.###", CultureInfo.InvariantCulture),
        TimeSpan span => span.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture) + "s",
        DateTimeOffset time => time.UtcDateTime.ToString("O", CultureInfo.InvariantCulture),
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? string.Empty,
    };

    private static string LevelName(LogLevel level) => level switch
    {
        LogLevel.Debug => "DEBUG",
        LogLevel.Info => "INFO",
        LogLevel.Warning => "WARN",
        _ => "ERROR",
    };
}
