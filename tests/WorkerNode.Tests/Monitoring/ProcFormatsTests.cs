using System.Text;
using WorkerNode.Execution;
using WorkerNode.Monitoring;

namespace WorkerNode.Tests.Monitoring;

public sealed class ProcFormatsTests
{
    [Fact]
    public void Io_counters_are_read_by_name()
    {
        var text = "rchar: 323934931\nwchar: 323929600\nsyscr: 632687\nsyscw: 632675\nread_bytes: 4096\nwrite_bytes: 323932160\ncancelled_write_bytes: 0\n"u8;

        Assert.True(ProcFormats.TryParseIo(text, out var io));
        Assert.Equal(new IoCounters(4096, 323932160, 323934931, 323929600), io);
    }

    [Fact]
    public void Io_with_a_counter_missing_is_refused()
    {
        Assert.False(ProcFormats.TryParseIo("rchar: 1\nwchar: 2\n"u8, out _));
    }

    [Fact]
    public void Pss_comes_from_its_own_line_in_bytes()
    {
        var text = "563650db1000-7fffa86d9000 ---p 00000000 00:00 0                          [rollup]\nRss:                1768 kB\nPss_Dirty:           116 kB\nPss:                 372 kB\nPss_Anon:            116 kB\n"u8;

        Assert.True(ProcFormats.TryParsePss(text, out var bytes));
        Assert.Equal(372 * 1024, bytes);
    }

    [Theory]
    [InlineData("oom_kill_disable 0\nunder_oom 0\noom_kill 3\n", 3)]
    [InlineData("low 0\nhigh 0\nmax 12\noom 4\noom_kill 2\noom_group_kill 9\n", 2)]
    [InlineData("oom_kill:\t 7\n", 7)]
    [InlineData("oom_kill 5", 5)]
    public void A_value_is_found_after_its_key_whichever_separator(string text, long expected)
    {
        Assert.True(ProcFormats.TryGetValue(Encoding.ASCII.GetBytes(text), "oom_kill"u8, out var value));
        Assert.Equal(expected, value);
    }

    [Theory]
    [InlineData("oom_kill_disable 0\n")]
    [InlineData("under_oom 0\n")]
    [InlineData("oom_kill x\n")]
    [InlineData("")]
    public void A_missing_or_unreadable_value_is_refused(string text)
    {
        Assert.False(ProcFormats.TryGetValue(Encoding.ASCII.GetBytes(text), "oom_kill"u8, out _));
    }

    [Theory]
    [InlineData("123456\n", true, 123456)]
    [InlineData("0", true, 0)]
    [InlineData("max\n", false, 0)]
    [InlineData("12 kB\n", false, 0)]
    [InlineData("", false, 0)]
    public void A_single_number_file(string text, bool parses, long expected)
    {
        Assert.Equal(parses, ProcFormats.TryParseNumber(Encoding.ASCII.GetBytes(text), out var value));
        Assert.Equal(expected, parses ? value : 0);
    }

    [Fact]
    public void A_children_list_yields_each_pid_in_turn()
    {
        var list = "12 1504 77 \n"u8;
        var position = 0;
        var pids = new List<int>();
        while (ProcFormats.TryReadNextPid(list, ref position, out var pid))
        {
            pids.Add(pid);
        }

        Assert.Equal([12, 1504, 77], pids);
    }

    [Fact]
    public void An_empty_children_list_yields_nothing()
    {
        var position = 0;
        Assert.False(ProcFormats.TryReadNextPid(ReadOnlySpan<byte>.Empty, ref position, out _));
    }

    [Fact]
    public void Stat_fields_are_read_after_a_command_name_holding_spaces_and_parentheses()
    {
        var stat = "4242 (a (b) c) R 17 4242 4200 0 -1 4194304 98 0 0 0 150 20 300 40 20 0 6 0 259550 3133440 360 18446744073709551615 94346705174528 0\n"u8;

        Assert.True(ProcStat.TryParse(stat, out var parsed));
        Assert.Equal(new ProcStat(4242, 'R', 17, 4242, 4200, 150, 20, 300, 40, 6, 259550, 360), parsed);
        Assert.False(parsed.IsZombie);
    }

    [Theory]
    [InlineData("4242 (sh) Z 17 4242 4200 0 -1 4194304 98 0 0 0 1 2 3 4 20 0 1 0 5 0 0 0", true)]
    [InlineData("4242 (sh) S 17 4242 4200 0 -1 4194304 98 0 0 0 1 2 3 4 20 0 1 0 5 0 0 0", true)]
    [InlineData("4242 (sh) S 17 4242 4200 0 -1 4194304 98 0 0 0 1 2 3 4 20 0 1", false)]
    [InlineData("4242 (sh) S 17 x 4200", false)]
    [InlineData("garbage", false)]
    public void Stat_lines_too_short_or_malformed_are_refused(string stat, bool parses)
    {
        Assert.Equal(parses, ProcStat.TryParse(Encoding.ASCII.GetBytes(stat), out var parsed));
        if (parses)
        {
            Assert.Equal(stat.Contains(" Z ", StringComparison.Ordinal), parsed.IsZombie);
        }
    }
}
