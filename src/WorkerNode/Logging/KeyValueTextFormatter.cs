using System.Globalization;
using Serilog.Events;
using Serilog.Formatting;

namespace WorkerNode.Logging;

/// <summary>
/// The human text format: <c>2026-11-21T13:59:57.611Z worker-node[30069] INFO message key=value ...</c>, one
/// line per event whatever the values hold. Serilog's output templates render properties as <c>{k=v, ...}</c>
/// and leave control characters raw; this keeps the documented key=value lines that people grep and that
/// logfmt parsers read.
/// </summary>
internal sealed class KeyValueTextFormatter : ITextFormatter
{
    public void Format(LogEvent logEvent, TextWriter output)
    {
        output.Write(logEvent.Timestamp.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
        output.Write(" worker-node[");
        output.Write(logEvent.Properties.TryGetValue(TaskContextEnricher.WorkerPidProperty, out var pid) ? Render(pid) : "?");
        output.Write("] ");
        output.Write(LevelName(logEvent.Level));
        output.Write(' ');
        WriteEscaped(output, logEvent.MessageTemplate.Text);
        foreach (var (key, value) in logEvent.Properties)
        {
            if (key == TaskContextEnricher.WorkerPidProperty)
            {
                continue;
            }

            var rendered = Render(value);
            output.Write(' ');
            output.Write(key);
            output.Write('=');
            if (rendered.Length == 0 || rendered.AsSpan().IndexOfAny(" \"=\\") >= 0 || HasControl(rendered))
            {
                output.Write('"');
                WriteEscaped(output, rendered, quoted: true);
                output.Write('"');
            }
            else
            {
                output.Write(rendered);
            }
        }

        output.Write('\n');
    }

    /// <summary>As JSON escapes a string: a line stays one line, and no terminal control sequence gets through.</summary>
    internal static void WriteEscaped(TextWriter output, string text, bool quoted = false)
    {
        var from = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            var escape = c switch
            {
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                '"' when quoted => "\\\"",
                '\\' when quoted => "\\\\",
                _ when char.IsControl(c) || c is '\u2028' or '\u2029' => string.Create(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}"),
                _ => null,
            };
            if (escape is null)
            {
                continue;
            }

            output.Write(text.AsSpan(from, i - from));
            output.Write(escape);
            from = i + 1;
        }

        output.Write(text.AsSpan(from));
    }

    private static bool HasControl(string text)
    {
        foreach (var c in text)
        {
            if (char.IsControl(c) || c is '\u2028' or '\u2029')
            {
                return true;
            }
        }

        return false;
    }

    private static string Render(LogEventPropertyValue value) => value switch
    {
        ScalarValue { Value: null } => string.Empty,
        ScalarValue { Value: string text } => text,
        ScalarValue { Value: bool flag } => flag ? "True" : "False",
        ScalarValue { Value: double number } => number.ToString("0.###", CultureInfo.InvariantCulture),
        ScalarValue { Value: IFormattable formattable } => formattable.ToString(null, CultureInfo.InvariantCulture),
        ScalarValue { Value: var other } => other.ToString() ?? string.Empty,
        _ => value.ToString(),
    };

    private static string LevelName(LogEventLevel level) => level switch
    {
        LogEventLevel.Verbose or LogEventLevel.Debug => "DEBUG",
        LogEventLevel.Information => "INFO",
        LogEventLevel.Warning => "WARN",
        _ => "ERROR",
    };
}
