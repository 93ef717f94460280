namespace WorkerNode.IntegrationTests.Infrastructure;

/// <summary>Where things are in the repository the tests run from.</summary>
public static class RepositoryPaths
{
    /// <summary>The directory holding WorkerNode.sln, found by walking up from the test binaries.</summary>
    public static string Root { get; } = FindRoot();

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "WorkerNode.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"cannot find WorkerNode.sln above {AppContext.BaseDirectory}");
    }
}
