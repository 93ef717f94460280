namespace WorkerNode.Tests.Configuration;

/// <summary>A real temporary directory for config, token and CA files; removed on dispose.</summary>
internal sealed class TempDirectory : IDisposable
{
    public TempDirectory()
    {
        Path = Directory.CreateTempSubdirectory("worker-node-config-tests-").FullName;
    }

    public string Path { get; }

    public string Write(string name, string content, UnixFileMode? mode = null)
    {
        var path = System.IO.Path.Combine(Path, name);
        File.WriteAllText(path, content);
        if (mode is { } unixMode)
        {
            // The worker and these tests are Unix-only; the check is for the platform analyzer.
            if (OperatingSystem.IsWindows())
            {
                throw new PlatformNotSupportedException();
            }

            File.SetUnixFileMode(path, unixMode);
        }

        return path;
    }

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
