using System.Security.Cryptography;
using System.Text;

namespace WorkerNode.Queue;

/// <summary>
/// The id of an item that names none (a bare string, or an object without "id"): the first 16 hex digits of
/// the SHA-1 of its bytes. The recovery script computes the same with <c>redis.sha1hex</c>, so both sides
/// agree on the lease key of any item. Not a security measure: a name, stable across workers.
/// </summary>
public static class ItemId
{
    public static string Of(string raw)
    {
#pragma warning disable CA5350 // SHA-1 because Redis's Lua offers only sha1hex; collisions here cost a shared name, not security.
        var hash = SHA1.HashData(Encoding.UTF8.GetBytes(raw));
#pragma warning restore CA5350
        return Convert.ToHexStringLower(hash)[..16];
    }

    /// <summary>True when <paramref name="id"/> can name a lease key and the {id}.out/{id}.err files.</summary>
    public static bool IsUsable(string id, out string? problem)
    {
        problem = id.Length == 0 ? "the id is empty"
            : id.Length > 200 ? "the id is longer than 200 characters"
            : id is "." or ".." ? "the id cannot be '.' or '..'"
            : id.Any(c => c == '/' || char.IsControl(c) || char.IsWhiteSpace(c)) ? "the id holds '/', a space or a control character (it names files)"
            : null;
        return problem is null;
    }
}
