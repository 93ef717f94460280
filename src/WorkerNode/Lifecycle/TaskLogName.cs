using System.Text;

namespace WorkerNode.Lifecycle;

/// <summary>
/// The file name of a task's log, <c>{name}.o{distributor_id}</c> as the Python worker names it, made
/// safe: a task name comes from the server and may hold '/' (so "../x" or "/etc/x" would leave the
/// configured directory) or bytes no file name can hold. Each '/', NUL or other control character
/// becomes '_'; everything else is kept as Jobmon gave it. With no '/' left, the name is one
/// component inside the directory whatever it says ("..", a leading '.'), since ".o" and the id follow it.
/// </summary>
internal static class TaskLogName
{
    public static string Of(string taskName, char stream, string? distributorId)
    {
        var safe = new StringBuilder(taskName.Length);
        foreach (var character in taskName)
        {
            safe.Append(character == '/' || char.IsControl(character) ? '_' : character);
        }

        safe.Append('.').Append(stream).Append(distributorId);
        var name = safe.ToString();

        // An id from the environment could hold a '/' too.
        return name.Replace('/', '_');
    }
}
