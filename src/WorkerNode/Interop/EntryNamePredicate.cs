namespace WorkerNode.Interop;

/// <summary>Decides from a directory entry's name (UTF-8, without its NUL) whether it matters (see <see cref="SafeFiles.HasEntry"/>).</summary>
internal delegate bool EntryNamePredicate(ReadOnlySpan<byte> name);
