using System.Text.Json;

namespace WorkerNode.Harness.Admin;

/// <summary>Reads an admin request body strictly, so that a test's typo is a 400 rather than a silent default.</summary>
internal static class AdminBody
{
    public static async Task<T> ReadAsync<T>(HttpRequest request)
        where T : class
    {
        try
        {
            return await JsonSerializer.DeserializeAsync<T>(request.Body, HarnessJson.Options, request.HttpContext.RequestAborted)
                ?? throw new AdminProblem(StatusCodes.Status400BadRequest, "the body must be a JSON object");
        }
        catch (JsonException e)
        {
            throw new AdminProblem(StatusCodes.Status400BadRequest, $"unreadable body: {e.Message}");
        }
    }
}
