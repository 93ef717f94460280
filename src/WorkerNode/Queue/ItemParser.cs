using System.Globalization;
using System.Text.Json;
using WorkerNode.Configuration;

namespace WorkerNode.Queue;

/// <summary>
/// Reads an item: a JSON object (<c>id</c>, <c>command</c> as an argv array or a shell string, optional <c>env</c>,
/// <c>cwd</c>, <c>time_limit</c>, <c>memory_limit</c>, <c>max_attempts</c>; other fields are the producer's and are
/// left alone), or any other text, which is a shell command. Never throws: a malformed item gets a reason.
/// </summary>
public static class ItemParser
{
    public static bool TryParse(string raw, out QueueItem? item, out string id, out string? problem)
    {
        item = null;
        id = ItemId.Of(raw);
        problem = null;
        var trimmed = raw.AsSpan().TrimStart();
        if (trimmed.IsEmpty)
        {
            problem = "the item is empty";
            return false;
        }

        if (trimmed[0] != '{')
        {
            item = new QueueItem(raw, id, null, raw, new Dictionary<string, string>(), null, null, null, null);
            return true;
        }

        try
        {
            using var document = JsonDocument.Parse(raw);
            return TryRead(raw, document.RootElement, ref id, out item, out problem);
        }
        catch (JsonException exception)
        {
            problem = $"the item starts with '{{' but is not valid JSON (error at byte {exception.BytePositionInLine ?? 0})";
            return false;
        }
    }

    private static bool TryRead(string raw, JsonElement root, ref string id, out QueueItem? item, out string? problem)
    {
        item = null;
        if (root.TryGetProperty("id", out var idElement))
        {
            switch (idElement.ValueKind)
            {
                case JsonValueKind.String:
                    id = idElement.GetString()!;
                    break;
                case JsonValueKind.Number when idElement.TryGetInt64(out var number) && Math.Abs(number) < 100_000_000_000_000:
                    // Lua's tostring gives the same digits for integers below 10^14 (the recovery script reads ids too).
                    id = number.ToString(CultureInfo.InvariantCulture);
                    break;
                default:
                    problem = "\"id\" must be a string (or an integer below 10^14)";
                    return false;
            }

            if (!ItemId.IsUsable(id, out problem))
            {
                problem = $"\"id\": {problem}";
                return false;
            }
        }

        IReadOnlyList<string>? argv = null;
        string? shell = null;
        if (!root.TryGetProperty("command", out var command))
        {
            problem = "the item has no \"command\" (an argv array, or a string for /bin/sh -c)";
            return false;
        }

        if (command.ValueKind == JsonValueKind.String && command.GetString() is { Length: > 0 } line && !string.IsNullOrWhiteSpace(line))
        {
            shell = line;
        }
        else if (command.ValueKind == JsonValueKind.Array && command.GetArrayLength() > 0 && command.EnumerateArray().All(word => word.ValueKind == JsonValueKind.String))
        {
            argv = command.EnumerateArray().Select(word => word.GetString()!).ToList();
            if (argv[0].Length == 0)
            {
                problem = "\"command\": the program name is empty";
                return false;
            }
        }
        else
        {
            problem = "\"command\" must be a non-empty array of strings (argv) or a non-empty string (for /bin/sh -c)";
            return false;
        }

        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        if (root.TryGetProperty("env", out var env))
        {
            if (env.ValueKind != JsonValueKind.Object)
            {
                problem = "\"env\" must be an object of strings";
                return false;
            }

            foreach (var variable in env.EnumerateObject())
            {
                if (variable.Value.ValueKind != JsonValueKind.String || variable.Name.Length == 0 || variable.Name.Contains('=', StringComparison.Ordinal))
                {
                    problem = $"\"env\": '{variable.Name}' must be a name without '=' with a string value";
                    return false;
                }

                environment[variable.Name] = variable.Value.GetString()!;
            }
        }

        string? cwd = null;
        if (root.TryGetProperty("cwd", out var cwdElement))
        {
            if (cwdElement.ValueKind != JsonValueKind.String || cwdElement.GetString() is not { Length: > 0 } path)
            {
                problem = "\"cwd\" must be a non-empty string";
                return false;
            }

            cwd = path;
        }

        TimeSpan? timeLimit = null;
        if (root.TryGetProperty("time_limit", out var timeElement))
        {
            if (!TryDuration(timeElement, out var value, out problem))
            {
                problem = $"\"time_limit\": {problem}";
                return false;
            }

            timeLimit = value;
        }

        long? memoryLimit = null;
        if (root.TryGetProperty("memory_limit", out var memoryElement))
        {
            if (!TrySize(memoryElement, out var bytes, out problem))
            {
                problem = $"\"memory_limit\": {problem}";
                return false;
            }

            memoryLimit = bytes;
        }

        int? maxAttempts = null;
        if (root.TryGetProperty("max_attempts", out var attemptsElement))
        {
            if (attemptsElement.ValueKind != JsonValueKind.Number || !attemptsElement.TryGetInt32(out var attempts) || attempts < 1)
            {
                problem = "\"max_attempts\" must be a whole number of at least 1";
                return false;
            }

            maxAttempts = attempts;
        }

        item = new QueueItem(raw, id, argv, shell, environment, cwd, timeLimit, memoryLimit, maxAttempts);
        problem = null;
        return true;
    }

    private static bool TryDuration(JsonElement element, out TimeSpan value, out string? problem)
    {
        value = default;
        if (element.ValueKind == JsonValueKind.Number && element.TryGetDouble(out var seconds))
        {
            if (seconds > 0 && seconds <= TimeSpan.FromDays(365).TotalSeconds)
            {
                value = TimeSpan.FromSeconds(seconds);
                problem = null;
                return true;
            }

            problem = "a number of seconds must be above 0 and at most a year";
            return false;
        }

        if (element.ValueKind != JsonValueKind.String)
        {
            problem = "give seconds, or a string like \"90s\", \"2h\" or \"01:30:00\"";
            return false;
        }

        return DurationParser.TryParseTimeLimit(element.GetString()!, out value, out problem);
    }

    private static bool TrySize(JsonElement element, out long bytes, out string? problem)
    {
        bytes = 0;
        if (element.ValueKind == JsonValueKind.Number && element.TryGetInt64(out bytes))
        {
            problem = bytes > 0 ? null : "a number of bytes must be above 0";
            return bytes > 0;
        }

        if (element.ValueKind != JsonValueKind.String)
        {
            problem = "give bytes, or a string like \"512M\" or \"4G\"";
            return false;
        }

        return SizeParser.TryParse(element.GetString()!, out bytes, out problem);
    }
}
