namespace WorkerNode.Jobmon;

/// <summary>A task instance status letter as the server stores it (PROTOCOL.md §4).</summary>
public readonly record struct TaskInstanceStatus(char Letter)
{
    public static readonly TaskInstanceStatus Queued = new('Q');
    public static readonly TaskInstanceStatus Instantiated = new('I');
    public static readonly TaskInstanceStatus Launched = new('O');
    public static readonly TaskInstanceStatus Running = new('R');
    public static readonly TaskInstanceStatus Done = new('D');
    public static readonly TaskInstanceStatus Error = new('E');
    public static readonly TaskInstanceStatus ResourceError = new('Z');
    public static readonly TaskInstanceStatus Fatal = new('F');
    public static readonly TaskInstanceStatus KillSelf = new('K');
    public static readonly TaskInstanceStatus NoHeartbeat = new('X');
    public static readonly TaskInstanceStatus UnknownError = new('U');
    public static readonly TaskInstanceStatus Triaging = new('T');
    public static readonly TaskInstanceStatus NoDistributorId = new('W');

    private const string Known = "QIORDEZFKXUTW";

    /// <summary>Parses a one-letter status; false for anything else.</summary>
    public static bool TryParse(string? text, out TaskInstanceStatus status)
    {
        status = default;
        if (text is not { Length: 1 } || !Known.Contains(text[0], StringComparison.Ordinal))
        {
            return false;
        }

        status = new TaskInstanceStatus(text[0]);
        return true;
    }

    public override string ToString() => Letter.ToString();
}
