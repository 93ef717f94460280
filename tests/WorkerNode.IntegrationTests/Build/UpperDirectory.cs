namespace WorkerNode.IntegrationTests.Build;

/// <summary>A test's upper directory for the bullseye overlay: a temporary directory, removed on dispose.</summary>
public sealed class UpperDirectory : IDisposable
{
    public UpperDirectory() => Path = Directory.CreateTempSubdirectory("wn-bullseye-").FullName;

    public string Path { get; }

    /// <summary>The host path of <paramref name="pathInsideTheRoot"/> (absolute, as seen from inside).</summary>
    public string Inside(string pathInsideTheRoot) => System.IO.Path.Join(Path, pathInsideTheRoot);

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
