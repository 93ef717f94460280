using System.Globalization;

namespace WorkerNode.Execution;

/// <summary>
/// The fields of /proc/PID/stat the worker uses: tree links for clean-up, and times, threads, start
/// time and resident pages for usage. Times are in clock ticks, as the kernel writes them.
/// </summary>
internal readonly record struct ProcStat(
    int Pid,
    char State,
    int ParentPid,
    int ProcessGroup,
    int Session,
    long UserTicks,
    long SystemTicks,
    long ChildrenUserTicks,
    long ChildrenSystemTicks,
    int Threads,
    ulong StartTicks,
    long ResidentPages)
{
    // Field numbers as proc(5) counts them; the text after "(comm) " starts at field 3, the state.
    private const int FirstField = 3;
    private const int LastField = 24;

    /// <summary>A zombie is dead already; it only waits for its parent (or us) to reap it.</summary>
    public bool IsZombie => State is 'Z' or 'X';

    /// <summary>Parses "pid (comm) state ppid pgrp session ...", where comm may hold anything, spaces and parentheses included.</summary>
    public static bool TryParse(ReadOnlySpan<byte> stat, out ProcStat result)
    {
        result = default;
        var open = stat.IndexOf((byte)'(');
        var close = stat.LastIndexOf((byte)')');
        if (open <= 0 || close < open || close + 2 >= stat.Length)
        {
            return false;
        }

        if (!int.TryParse(stat[..(open - 1)], NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
        {
            return false;
        }

        var rest = stat[(close + 2)..];
        Span<long> fields = stackalloc long[LastField + 1];
        var state = (char)rest[0];
        var field = FirstField + 1;
        var position = 2;
        while (field <= LastField && position < rest.Length)
        {
            var end = rest[position..].IndexOfAny((byte)' ', (byte)'\n');
            var token = end < 0 ? rest[position..] : rest.Slice(position, end);
            if (!long.TryParse(token, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out fields[field]))
            {
                return false;
            }

            field++;
            position += token.Length + 1;
        }

        if (field <= LastField)
        {
            return false;
        }

        result = new ProcStat(
            pid,
            state,
            ParentPid: (int)fields[4],
            ProcessGroup: (int)fields[5],
            Session: (int)fields[6],
            UserTicks: fields[14],
            SystemTicks: fields[15],
            ChildrenUserTicks: fields[16],
            ChildrenSystemTicks: fields[17],
            Threads: (int)fields[20],
            StartTicks: (ulong)fields[22],
            ResidentPages: fields[24]);
        return true;
    }
}
