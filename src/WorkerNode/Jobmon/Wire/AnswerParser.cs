using System.Globalization;
using System.Text;
using System.Text.Json;

namespace WorkerNode.Jobmon.Wire;

/// <summary>
/// Reads the server's answers (PROTOCOL.md §4) with <see cref="JsonDocument"/>, tolerant of what
/// the server really sends (ids as numbers or numeric strings, null directories) and precise
/// about anything else: a <see cref="FormatException"/> says which field was wrong and how.
/// </summary>
internal static class AnswerParser
{
    private const int AssignmentLength = 9;

    /// <summary><c>{"status": "R"}</c>.</summary>
    public static TaskInstanceStatus Status(byte[] body)
    {
        using var document = Parse(body);
        return Letter(Field(document.RootElement, "status"), "status");
    }

    /// <summary><c>{"task_instance_id": 123}</c>.</summary>
    public static long ArrayTaskInstanceId(byte[] body)
    {
        using var document = Parse(body);
        return Integer(Field(document.RootElement, "task_instance_id"), "task_instance_id");
    }

    /// <summary><c>{"task_instance": [id, status, workflow_run_id, task_id, name, command, workflow_id, stdout_dir, stderr_dir]}</c>.</summary>
    public static TaskInstanceAssignment Assignment(byte[] body)
    {
        using var document = Parse(body);
        var row = Field(document.RootElement, "task_instance");
        if (row.ValueKind != JsonValueKind.Array)
        {
            throw new FormatException($"task_instance is {Show(row)}, not an array");
        }

        if (row.GetArrayLength() < AssignmentLength)
        {
            throw new FormatException($"task_instance has {row.GetArrayLength()} elements, not {AssignmentLength}");
        }

        static string Name(int index) => $"task_instance[{index}] ({AssignmentField(index)})";
        return new TaskInstanceAssignment(
            Integer(row[0], Name(0)),
            Letter(row[1], Name(1)),
            Integer(row[2], Name(2)),
            Integer(row[3], Name(3)),
            Text(row[4], Name(4)),
            Text(row[5], Name(5)),
            Integer(row[6], Name(6)),
            OptionalText(row[7], Name(7)),
            OptionalText(row[8], Name(8)));
    }

    /// <summary>
    /// <c>{"taskinstances": [{"ti_id": 12, "ti_status": "RUNNING", "ti_nodename": "node1", "ti_distributor_id": "123", ...}, ...]}</c>:
    /// the row of <paramref name="taskInstanceId"/>, or <see cref="TaskInstanceLookup.Absent"/> when the task has no such
    /// instance. The real server joins the error log in, so one instance may have several rows: they agree on these fields.
    /// </summary>
    public static TaskInstanceLookup TaskInstanceDetails(byte[] body, long taskInstanceId)
    {
        using var document = Parse(body);
        var rows = Field(document.RootElement, "taskinstances");
        if (rows.ValueKind != JsonValueKind.Array)
        {
            throw new FormatException($"taskinstances is {Show(rows)}, not an array");
        }

        var index = 0;
        foreach (var row in rows.EnumerateArray())
        {
            var name = $"taskinstances[{index++}]";
            if (Integer(Field(row, "ti_id"), name + ".ti_id") != taskInstanceId)
            {
                continue;
            }

            var status = Field(row, "ti_status");
            var label = status.ValueKind == JsonValueKind.String
                ? status.GetString()!
                : throw new FormatException($"{name}.ti_status is {Show(status)}, not a string");
            return TaskInstanceLookup.Found(new ServerTaskInstance(
                taskInstanceId,
                StatusLabels.ToStatus(label),
                label,
                NullableText(Field(row, "ti_nodename"), name + ".ti_nodename"),
                NullableText(Field(row, "ti_distributor_id"), name + ".ti_distributor_id")));
        }

        return TaskInstanceLookup.Absent;
    }

    private static string Snippet(string text, int length = 120) => TextSnippet.Shorten(text, length);

    private static string AssignmentField(int index) => index switch
    {
        0 => "id",
        1 => "status",
        2 => "workflow_run_id",
        3 => "task_id",
        4 => "name",
        5 => "command",
        6 => "workflow_id",
        7 => "stdout_dir",
        _ => "stderr_dir",
    };

    private static JsonDocument Parse(byte[] body)
    {
        try
        {
            return JsonDocument.Parse(body);
        }
        catch (JsonException)
        {
            throw new FormatException(body.Length == 0 ? "the body is empty" : $"the body is not JSON: {Snippet(Encoding.UTF8.GetString(body))}");
        }
    }

    private static JsonElement Field(JsonElement root, string name)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException($"the body is {Show(root)}, not an object");
        }

        return root.TryGetProperty(name, out var value)
            ? value
            : throw new FormatException($"the body has no \"{name}\": {Snippet(root.GetRawText())}");
    }

    private static long Integer(JsonElement value, string name)
    {
        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var number))
        {
            return number;
        }

        if (value.ValueKind == JsonValueKind.String
            && long.TryParse(value.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out number))
        {
            return number;
        }

        throw new FormatException($"{name} is {Show(value)}, not an integer");
    }

    private static TaskInstanceStatus Letter(JsonElement value, string name) =>
        value.ValueKind == JsonValueKind.String && TaskInstanceStatus.TryParse(value.GetString(), out var status)
            ? status
            : throw new FormatException($"{name} is {Show(value)}, not a task instance status letter");

    private static string Text(JsonElement value, string name) =>
        value.ValueKind == JsonValueKind.String
            ? value.GetString()!
            : throw new FormatException($"{name} is {Show(value)}, not a string");

    // An instance without output directories has null (or "") there: both mean /dev/null.
    private static string OptionalText(JsonElement value, string name) =>
        value.ValueKind == JsonValueKind.Null ? string.Empty : Text(value, name);

    // A text column: null, a string, or (from a database that stored a number) a number, kept as its text.
    private static string? NullableText(JsonElement value, string name) => value.ValueKind switch
    {
        JsonValueKind.Null => null,
        JsonValueKind.String => value.GetString(),
        JsonValueKind.Number => value.GetRawText(),
        _ => throw new FormatException($"{name} is {Show(value)}, not a string"),
    };

    private static string Show(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Null => "null",
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        _ => Snippet(value.GetRawText(), 40),
    };
}
