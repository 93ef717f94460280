namespace WorkerNode.Execution;

/// <summary>One line of /proc/PID/stat reduced to what tree walking needs.</summary>
internal readonly record struct ProcessEntry(int Pid, int ParentPid, int ProcessGroup, int Session, char State)
{
    /// <summary>A zombie is dead already; it only waits for its parent (or us) to reap it.</summary>
    public bool IsZombie => State is 'Z' or 'X';
}
