namespace WorkerNode.Interop;

/// <summary>What the worker needs to know of a file before trusting it: its owner and its type and permission bits.</summary>
/// <param name="OwnerUid">st_uid.</param>
/// <param name="Mode">st_mode: the type bits (S_IFMT) and the permission bits.</param>
internal readonly record struct FileStatus(uint OwnerUid, uint Mode)
{
    private const uint TypeMask = 0xF000;

    public bool IsRegularFile => (Mode & TypeMask) == 0x8000;

    public bool IsDirectory => (Mode & TypeMask) == 0x4000;

    /// <summary>Anyone may create, rename and delete entries in it (o+w) and the sticky bit does not stop them.</summary>
    public bool IsWorldWritableWithoutSticky => (Mode & 0x2) != 0 && (Mode & 0x200) == 0;
}
