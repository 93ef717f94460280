namespace WorkerNode.Harness.State;

/// <summary>The task-instance status letters of PROTOCOL.md §4, as the wire carries them.</summary>
public static class TaskStatusLetter
{
    public const string Queued = "Q";
    public const string Instantiated = "I";
    public const string Launched = "O";
    public const string Running = "R";
    public const string Done = "D";
    public const string Error = "E";
    public const string ResourceError = "Z";
    public const string Fatal = "F";
    public const string KillSelf = "K";
    public const string NoHeartbeat = "X";
    public const string UnknownError = "U";
    public const string Triaging = "T";
    public const string NoDistributorId = "W";

    /// <summary>Every letter, in the order PROTOCOL.md lists them.</summary>
    public static IReadOnlyList<string> All { get; } =
        [Queued, Instantiated, Launched, Running, Done, Error, ResourceError, Fatal, KillSelf, NoHeartbeat, UnknownError, Triaging, NoDistributorId];

    /// <summary>
    /// The label the real server's task_instance_status table gives a letter (jobmon_server models/task_instance_status.py),
    /// which its CLI and GUI routes answer instead of the letter. Q and O are both QUEUED there.
    /// </summary>
    public static string Label(string letter) => letter switch
    {
        Queued or Launched => "QUEUED",
        Instantiated => "INSTANTIATED",
        Running => "RUNNING",
        Done => "DONE",
        Error => "ERROR",
        ResourceError => "RESOURCE_ERROR",
        Fatal => "ERROR_FATAL",
        KillSelf => "KILL_SELF",
        NoHeartbeat => "NO_HEARTBEAT",
        UnknownError => "UNKNOWN_ERROR",
        Triaging => "TRIAGING",
        NoDistributorId => "NO_DISTRIBUTOR_ID",
        _ => letter,
    };

    /// <summary>True for one of the thirteen letters the server stores.</summary>
    public static bool IsKnown(string? letter) => letter is not null && All.Contains(letter, StringComparer.Ordinal);
}
