using System.ComponentModel;
using System.Runtime.InteropServices;

namespace WorkerNode.Interop;

/// <summary>Turns errno into readable text and exceptions, in one place.</summary>
internal static class Errno
{
    /// <summary>The errno of the last call made with SetLastError.</summary>
    internal static int Last => Marshal.GetLastPInvokeError();

    /// <summary>strerror text, e.g. "No such file or directory".</summary>
    internal static string Describe(int errno) => Marshal.GetPInvokeErrorMessage(errno);

    /// <summary>An exception for a failed call: "what: reason".</summary>
    internal static Win32Exception Exception(string what, int errno) => new(errno, $"{what}: {Describe(errno)}");

    internal static void ThrowIfMinusOne(long result, string what)
    {
        if (result == -1)
        {
            throw Exception(what, Last);
        }
    }
}
