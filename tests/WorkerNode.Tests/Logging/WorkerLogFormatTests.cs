using System.Text;
using System.Text.Json;
using WorkerNode.Logging;

namespace WorkerNode.Tests.Logging;

/// <summary>What a log line looks like in each format: one line whatever the values, the context on every line.</summary>
public sealed class WorkerLogFormatTests
{
    private readonly MemoryStream _sink = new();

    private string Text => Encoding.UTF8.GetString(_sink.ToArray());

    [Fact]
    public void Text_lines_are_key_value_with_the_context_last()
    {
        var log = new WorkerLog(_sink, LogLevel.Debug, LogFormat.Text, new FixedClock(new DateTimeOffset(2026, 11, 21, 13, 59, 57, 611, TimeSpan.Zero)));
        log.Context.TaskInstanceId = 3;
        log.Context.DistributorId = "7003";
        log.Context.Nodename = "n17.cluster";

        log.Warning("stopping the command", ("reason", "KillSelf"), ("grace", TimeSpan.FromSeconds(2)), ("none", null), ("ratio", 0.12345));

        Assert.Equal(
            $"2026-11-21T13:59:57.611Z worker-node[{Environment.ProcessId}] WARN stopping the command reason=KillSelf grace=2s ratio=0.123 task_instance_id=3 distributor_id=7003 nodename=n17.cluster\n",
            Text);
    }

    [Fact]
    public void Control_bytes_in_messages_and_values_are_escaped()
    {
        var log = new WorkerLog(_sink, LogLevel.Debug, LogFormat.Text, TimeProvider.System);

        log.Error("server said \u001b[2Jbad\0news\nfake line", ("answer", "\u001b]0;title\u0007"), ("del", "a\u007fb"));

        var line = Assert.Single(Text.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.DoesNotContain('\u001b', line);
        Assert.DoesNotContain('\0', line);
        Assert.DoesNotContain('\u007f', line);
        Assert.Contains("server said \\u001b[2Jbad\\u0000news\\nfake line", line, StringComparison.Ordinal);
        Assert.Contains("answer=\"\\u001b]0;title\\u0007\"", line, StringComparison.Ordinal);
        Assert.Contains("del=\"a\\u007fb\"", line, StringComparison.Ordinal);
    }

    [Fact]
    public void Braces_in_a_message_are_text_not_a_template()
    {
        var log = new WorkerLog(_sink, LogLevel.Debug, LogFormat.Json, TimeProvider.System);

        log.Info("answer {\"status\": \"R\"} {0}");

        using var json = JsonDocument.Parse(Text);
        Assert.Equal("answer {\"status\": \"R\"} {0}", json.RootElement.GetProperty("@m").GetString());
    }

    [Fact]
    public void Json_lines_are_one_compact_object_each_with_the_same_fields_as_text()
    {
        var log = new WorkerLog(_sink, LogLevel.Debug, LogFormat.Json, TimeProvider.System);
        log.Context.TaskInstanceId = 12;
        log.Context.DistributorId = "99";

        log.Info("command started", ("pid", 4242), ("name", "a\u001bb"));
        log.Debug("second\nline");

        var lines = Text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.DoesNotContain('\u001b', lines[0]);
        using var first = JsonDocument.Parse(lines[0]);
        var root = first.RootElement;
        Assert.Equal("command started", root.GetProperty("@m").GetString());
        Assert.Equal(4242, root.GetProperty("pid").GetInt32());
        Assert.Equal(Environment.ProcessId, root.GetProperty("worker_pid").GetInt32());
        Assert.Equal(12, root.GetProperty("task_instance_id").GetInt64());
        Assert.Equal("99", root.GetProperty("distributor_id").GetString());
        Assert.Equal("a\u001bb", root.GetProperty("name").GetString());
        using var second = JsonDocument.Parse(lines[1]);
        Assert.Equal("Debug", second.RootElement.GetProperty("@l").GetString());
    }

    [Fact]
    public void Lines_below_the_level_are_not_written()
    {
        var log = new WorkerLog(_sink, LogLevel.Warning, LogFormat.Text, TimeProvider.System);

        log.Info("quiet");
        log.Warning("loud");

        Assert.Single(Text.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.False(log.IsEnabled(LogLevel.Info));
    }

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
