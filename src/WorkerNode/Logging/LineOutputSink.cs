using System.Text;
using Serilog.Core;
using Serilog.Events;
using Serilog.Formatting;

namespace WorkerNode.Logging;

/// <summary>
/// The Serilog sink of the worker's log: each event formatted whole (text or compact JSON), then handed to a
/// <see cref="LogLineOutput"/> as one line, so that lines of processes sharing a descriptor never interleave, and
/// a descriptor that does not take them never holds the worker up.
/// </summary>
internal sealed class LineOutputSink : ILogEventSink
{
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);
    private readonly ITextFormatter _formatter;
    private readonly LogLineOutput _output;

    public LineOutputSink(ITextFormatter formatter, LogLineOutput output)
    {
        _formatter = formatter;
        _output = output;
    }

    public void Emit(LogEvent logEvent) => _output.WriteLine(Format(logEvent));

    public byte[] Format(LogEvent logEvent)
    {
        using var text = new StringWriter(new StringBuilder(192), System.Globalization.CultureInfo.InvariantCulture);
        _formatter.Format(logEvent, text);
        return Utf8.GetBytes(text.ToString());
    }
}
