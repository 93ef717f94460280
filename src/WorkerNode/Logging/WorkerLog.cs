using System.Globalization;
using Serilog;
using Serilog.Core;
using Serilog.Events;
using Serilog.Formatting;
using Serilog.Formatting.Compact;
using Serilog.Parsing;

namespace WorkerNode.Logging;

/// <summary>
/// The worker's own log: one line per event, structured, with the task's context on every line. Serilog inside
/// (a pipeline of an enricher for the context and one sink; text in key=value form, or Serilog's compact JSON);
/// this class keeps the small API the rest of the code calls. Writing never throws and never blocks the caller:
/// a worker whose log output is gone, full or stuck must still run, heartbeat and report its command
/// (see <see cref="DescriptorLineWriter"/>).
/// </summary>
public sealed class WorkerLog
{
    private readonly Logger _logger;
    private readonly LogLevel _minimum;
    private readonly TimeProvider _time;
    private readonly LineOutputSink _sink;

    /// <summary>A log writing whole lines into a stream on the caller's thread (an in-memory capture).</summary>
    public WorkerLog(Stream sink, LogLevel minimum, LogFormat format, TimeProvider time)
        : this(new StreamLineOutput(sink), minimum, format, time)
    {
    }

    /// <summary>A log writing whole lines to an output.</summary>
    public WorkerLog(LogLineOutput output, LogLevel minimum, LogFormat format, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(output);
        _minimum = minimum;
        _time = time;
        ITextFormatter formatter = format == LogFormat.Json ? new RenderedCompactJsonFormatter() : new KeyValueTextFormatter();
        _sink = new LineOutputSink(formatter, output);

        // Built in code, not from settings: Serilog's configuration readers use reflection, which AOT forbids.
        _logger = new LoggerConfiguration()
            .MinimumLevel.Is(ToSerilog(minimum))
            .Enrich.With(new TaskContextEnricher(Context))
            .WriteTo.Sink(_sink)
            .CreateLogger();
        if (output is DescriptorLineWriter writer)
        {
            writer.SetDroppedNote(DroppedNote);
        }
    }

    /// <summary>The task identity appended to every line.</summary>
    public LogContext Context { get; } = new();

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

        try
        {
            _logger.Write(CreateEvent(level, message, fields));
        }
        catch (Exception exception) when (exception is IOException or ObjectDisposedException or FormatException)
        {
            // A log line is never worth failing the command or its report for.
        }
    }

    private LogEvent CreateEvent(LogLevel level, string message, ReadOnlySpan<LogField> fields)
    {
        var properties = new List<LogEventProperty>(fields.Length + 4);
        foreach (var field in fields)
        {
            if (field.Value is not null)
            {
                properties.Add(new LogEventProperty(field.Key, ToValue(field.Value)));
            }
        }

        // The message is text, never a template: a server's answer or a path may hold braces.
        var template = new MessageTemplate(message, [new TextToken(message)]);
        return new LogEvent(_time.GetUtcNow(), ToSerilog(level), null, template, properties);
    }

    private byte[] DroppedNote(long dropped)
    {
        var note = CreateEvent(LogLevel.Warning, "log lines dropped: the log output could not be written", [("dropped", dropped)]);
        new TaskContextEnricher(Context).Enrich(note, NoPropertyFactory.Instance);
        return _sink.Format(note);
    }

    // Numbers and flags stay numbers and flags (in JSON); anything else is shown as text, the same in both formats.
    private static ScalarValue ToValue(object value) => value switch
    {
        string or bool or int or long or short or byte or uint or ulong => new ScalarValue(value),
        double number => new ScalarValue(double.IsFinite(number) ? number : number.ToString(CultureInfo.InvariantCulture)),
        float number => new ScalarValue(double.IsFinite(number) ? (double)number : number.ToString(CultureInfo.InvariantCulture)),
        TimeSpan span => new ScalarValue(span.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture) + "s"),
        DateTimeOffset time => new ScalarValue(time.UtcDateTime.ToString("O", CultureInfo.InvariantCulture)),
        IFormattable formattable => new ScalarValue(formattable.ToString(null, CultureInfo.InvariantCulture)),
        _ => new ScalarValue(value.ToString() ?? string.Empty),
    };

    private static LogEventLevel ToSerilog(LogLevel level) => level switch
    {
        LogLevel.Debug => LogEventLevel.Debug,
        LogLevel.Info => LogEventLevel.Information,
        LogLevel.Warning => LogEventLevel.Warning,
        _ => LogEventLevel.Error,
    };

    /// <summary>The enricher adds ready-made properties; it never asks the factory for one.</summary>
    private sealed class NoPropertyFactory : ILogEventPropertyFactory
    {
        public static readonly NoPropertyFactory Instance = new();

        public LogEventProperty CreateProperty(string name, object? value, bool destructureObjects = false) =>
            new(name, new ScalarValue(value));
    }
}
