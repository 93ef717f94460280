using System.Globalization;
using System.Text;
using WorkerNode.Execution;

namespace WorkerNode.Reporting.Profiles;

/// <summary>
/// How profile and report files are created, in one place: a temporary file created exclusively (O_CREAT|O_EXCL,
/// which also refuses a symlink planted at its name) under an unpredictable name beside the target, synced, then
/// renamed into place (a rename replaces a directory entry; it never follows a symlink at the target). Directories
/// follow the rules of every directory the worker writes in (<see cref="FileSafety.EnsureDirectory"/>).
/// </summary>
public static class ProfileFile
{
    /// <summary>rw-r--r--: profiles are shared with colleagues who size requests; the directory decides who sees them.</summary>
    public const UnixFileMode FileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    private const int MostSuffixes = 1000;

    /// <summary>Writes <paramref name="content"/> to <paramref name="path"/>, replacing a file there; IOException / UnauthorizedAccessException otherwise.</summary>
    public static void WriteReplacing(string path, ReadOnlySpan<byte> content)
    {
        var full = Path.GetFullPath(path);
        if (Directory.Exists(full))
        {
            throw new IOException($"{path} is a directory");
        }

        var directory = Path.GetDirectoryName(full) ?? "/";
        var temporary = WriteTemporary(directory, Path.GetFileName(full), content);
        try
        {
            File.Move(temporary, full, overwrite: true);
        }
        catch
        {
            TryDelete(temporary);
            throw;
        }
    }

    /// <summary>Writes <c>{directory}/{baseName}.jsonl</c>, or the first free <c>{baseName}.N.jsonl</c>; returns the path.</summary>
    public static string WriteNewIn(string directory, string baseName, ReadOnlySpan<byte> content)
    {
        FileSafety.EnsureDirectory(directory);
        var temporary = WriteTemporary(directory, baseName, content);
        try
        {
            for (var suffix = 0; suffix < MostSuffixes; suffix++)
            {
                var candidate = Path.Combine(directory, suffix == 0 ? $"{baseName}.jsonl" : $"{baseName}.{suffix}.jsonl");
                try
                {
                    // Without overwrite, .NET links the new name (failing when it exists) and unlinks the old one.
                    File.Move(temporary, candidate, overwrite: false);
                    return candidate;
                }
                catch (IOException) when (File.Exists(candidate) || Directory.Exists(candidate))
                {
                }
            }

            throw new IOException($"{MostSuffixes} profiles named {baseName} already exist in {directory}");
        }
        finally
        {
            TryDelete(temporary);
        }
    }

    /// <summary>Fails early, before a long command runs, when <paramref name="path"/> could not be written later.</summary>
    public static void CheckWritable(string path)
    {
        var full = Path.GetFullPath(path);
        if (Directory.Exists(full))
        {
            throw new IOException($"{path} is a directory");
        }

        var directory = Path.GetDirectoryName(full) ?? "/";
        if (!Directory.Exists(directory))
        {
            throw new IOException($"the directory {directory} does not exist");
        }

        TryDelete(WriteTemporary(directory, Path.GetFileName(full), []));
    }

    /// <summary>
    /// A file name from a task's name: characters other than letters, digits, '.', '_', '-' and '+' become '_', and
    /// a leading '.' becomes '_', so that a name can neither leave the directory nor hide in it.
    /// </summary>
    public static string SafeName(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var builder = new StringBuilder(name.Length);
        foreach (var character in name)
        {
            builder.Append(char.IsAsciiLetterOrDigit(character) || character is '.' or '_' or '-' or '+' ? character : '_');
        }

        if (builder.Length == 0 || builder[0] == '.')
        {
            builder.Insert(0, '_');
        }

        return builder.Length > 200 ? builder.ToString(0, 200) : builder.ToString();
    }

    private static string WriteTemporary(string directory, string name, ReadOnlySpan<byte> content)
    {
        // O_EXCL makes any name safe; the random part only keeps names apart. Not RandomNumberGenerator: it loads
        // OpenSSL, ~40 ms of CPU at the end of every task that keeps a profile (measured).
        var temporary = Path.Combine(directory, string.Create(CultureInfo.InvariantCulture, $".{name}.{Environment.ProcessId}.{Random.Shared.NextInt64():x16}.tmp"));
        // CreateNew is O_CREAT|O_EXCL: it fails on anything already at that name, a symlink included.
        var stream = new FileStream(temporary, new FileStreamOptions
        {
            Mode = System.IO.FileMode.CreateNew,
            Access = FileAccess.Write,
            Share = FileShare.None,
            BufferSize = 0,
            UnixCreateMode = FileMode,
        });
        try
        {
            using (stream)
            {
                stream.Write(content);
                stream.Flush(flushToDisk: true);
            }
        }
        catch
        {
            TryDelete(temporary);
            throw;
        }

        return temporary;
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
        }
    }
}
