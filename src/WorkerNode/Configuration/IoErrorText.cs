using System.Runtime.InteropServices;

namespace WorkerNode.Configuration;

/// <summary>Turns a file-system exception into the short reason a shell user knows (<c>No such file or directory</c>).</summary>
internal static class IoErrorText
{
    public static bool IsFileError(Exception e) => e is IOException or UnauthorizedAccessException;

    public static string Describe(Exception e) => e switch
    {
        FileNotFoundException or DirectoryNotFoundException => "No such file or directory",
        UnauthorizedAccessException => "Permission denied",
        PathTooLongException => "File name too long",

        // On Unix, .NET puts the raw errno into HResult for the I/O errors it has no exception type for.
        IOException { HResult: > 0 and < 4096 } io => Marshal.GetPInvokeErrorMessage(io.HResult),
        _ => e.Message,
    };
}
