using CliWrap;
using CliWrap.Buffered;
using WorkerNode.IntegrationTests.Infrastructure;

namespace WorkerNode.IntegrationTests.Build;

/// <summary>
/// packaging/build-packages from the published binary: the tarball (binary, entry-point link,
/// checksums), the .deb installed with dpkg -i into the Debian 11 root and run there, and the
/// .rpm's metadata and file list as rpm reads them.
/// </summary>
public sealed class PackageTests : IClassFixture<PackageTests.BuiltPackages>
{
    private readonly BuiltPackages _packages;

    public PackageTests(BuiltPackages packages) => _packages = packages;

    [Fact]
    public async Task The_tarball_holds_the_binary_the_link_and_checksums_that_match()
    {
        var tarball = _packages.Single("worker-node-*-linux-x64.tar.gz");
        using var unpacked = new UpperDirectory();

        await RunAsync("tar", "-xzf", tarball, "-C", unpacked.Path);

        var top = Assert.Single(Directory.GetDirectories(unpacked.Path));
        Assert.Equal(["SHA256SUMS", "worker-node", "worker_node_entry_point"], Directory.GetFileSystemEntries(top).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Equal("worker-node", new FileInfo(Path.Combine(top, "worker_node_entry_point")).LinkTarget);
        Assert.Contains("worker-node: OK", await RunAsync("sha256sum", ["-c", "SHA256SUMS"], top), StringComparison.Ordinal);
        Assert.Equal(await RunAsync(WorkerBinary.Path, "--version"), await RunAsync(Path.Combine(top, "worker_node_entry_point"), "--version"));
    }

    [Fact]
    public async Task The_rpm_names_the_package_its_glibc_and_its_two_files()
    {
        var rpm = _packages.Single("worker-node-*.x86_64.rpm");

        var info = await RunAsync("rpm", "-qip", rpm);
        var files = await RunAsync("rpm", "-qlp", rpm);
        var requires = await RunAsync("rpm", "-qp", "--requires", rpm);

        Assert.Matches(@"(?m)^Name\s*: worker-node$", info);
        Assert.Matches(@"(?m)^Architecture: x86_64$", info);
        Assert.Equal("/usr/bin/worker-node\n/usr/bin/worker_node_entry_point\n", files);
        Assert.Contains("glibc >= 2.17", requires, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task The_deb_installs_with_dpkg_into_debian_11_and_runs()
    {
        BullseyeRoot.Instance.SkipUnlessAvailable();
        var deb = _packages.Single("worker-node_*_amd64.deb");
        using var upper = new UpperDirectory();
        Directory.CreateDirectory(upper.Inside("/tmp"));
        File.Copy(deb, upper.Inside("/tmp/worker-node.deb"));

        var result = await WorkerRun.RunAsync(
            [upper.Path, "/bin/sh", "-c", "dpkg -i /tmp/worker-node.deb >/dev/null && dpkg -s worker-node | grep '^Status:' && worker_node_entry_point run -- /bin/sh -c 'echo ran on $(cat /etc/debian_version); exit 3'"],
            timeout: TimeSpan.FromSeconds(120), program: BullseyeRoot.Runner);

        Assert.True(result.ExitCode == 3, result.ToString());
        Assert.Matches(@"^Status: install ok installed\nran on 11\.\d+\n$", result.Stdout);
        Assert.True(File.Exists(upper.Inside("/usr/bin/worker-node")), "dpkg wrote /usr/bin/worker-node (in the overlay)");
    }

    private static Task<string> RunAsync(string program, params string[] arguments) => RunAsync(program, arguments, null);

    private static async Task<string> RunAsync(string program, string[] arguments, string? workingDirectory)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var result = await Cli.Wrap(program).WithArguments(arguments).WithWorkingDirectory(workingDirectory ?? Path.GetTempPath())
            .WithValidation(CommandResultValidation.None).ExecuteBufferedAsync(deadline.Token);
        Assert.True(result.ExitCode == 0, $"{program} {string.Join(' ', arguments)}: exit {result.ExitCode}\n{result.StandardOutput}\n{result.StandardError}");
        return result.StandardOutput;
    }

    /// <summary>The packages built once for the class, from the binary under test, in a directory removed afterwards.</summary>
    public sealed class BuiltPackages : IDisposable
    {
        private readonly string _directory = Directory.CreateTempSubdirectory("wn-packages-").FullName;

        public BuiltPackages()
        {
            using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(5));
            var result = Cli.Wrap(Path.Combine(RepositoryPaths.Root, "packaging", "build-packages"))
                .WithArguments(["--binary", WorkerBinary.Path, _directory])
                .WithValidation(CommandResultValidation.None)
                .ExecuteBufferedAsync(deadline.Token).GetAwaiter().GetResult();
            Failure = result.ExitCode == 0 ? null : $"packaging/build-packages failed ({result.ExitCode}):\n{result.StandardError}";
        }

        private string? Failure { get; }

        public string Single(string pattern)
        {
            Assert.True(Failure is null, Failure);
            return Assert.Single(Directory.GetFiles(_directory, pattern));
        }

        public void Dispose() => Directory.Delete(_directory, recursive: true);
    }
}
