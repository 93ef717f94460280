using System.Buffers.Binary;
using System.Text.RegularExpressions;
using CliWrap;
using CliWrap.Buffered;
using WorkerNode.IntegrationTests.Infrastructure;

namespace WorkerNode.IntegrationTests.Build;

/// <summary>
/// One binary for every node: the published worker-node references no glibc symbol version above
/// 2.17 (RHEL/CentOS 7), and the exec shim embedded in it none at all (static), as objdump sees them;
/// and its data laid out for a fast start.
/// </summary>
public sealed partial class GlibcVersionTests
{
    private static readonly Version Oldest = new(2, 17);

    [Fact]
    public async Task The_published_binary_needs_no_glibc_newer_than_2_17()
    {
        var versions = await GlibcVersionsAsync(WorkerBinary.Path);

        Assert.NotEmpty(versions);
        Assert.All(versions, version => Assert.True(version <= Oldest, $"worker-node references GLIBC_{version}: it will not start on glibc {Oldest}"));
    }

    [Fact]
    public async Task The_embedded_exec_shim_is_static_and_needs_no_glibc()
    {
        var image = await File.ReadAllBytesAsync(WorkerBinary.Path);
        var offset = Assert.Single(EmbeddedExecutables(image));
        var shim = Path.Combine(Path.GetTempPath(), $"wn-shim-{Guid.NewGuid():N}");
        try
        {
            // An ELF file's offsets are relative to its start: the bytes from there on read as the shim.
            await File.WriteAllBytesAsync(shim, image[offset..]);

            Assert.Empty(await GlibcVersionsAsync(shim));
            var headers = await ToolAsync("readelf", "--program-headers", "--wide", shim);
            Assert.DoesNotContain("INTERP", headers, StringComparison.Ordinal);
            Assert.DoesNotContain("DYNAMIC", headers, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(shim);
        }
    }

    /// <summary>
    /// The start-up layout of docs/building.md: type data stored ready to use (no .hydrated section
    /// rebuilt at every start) in a fixed-address executable (ELF type EXEC, so no relocation pass
    /// over it either). Either one undone costs every task about 14 ms of CPU time at start.
    /// </summary>
    [Fact]
    public async Task The_published_binary_starts_without_rebuilding_or_relocating_its_data()
    {
        var header = await ToolAsync("readelf", "--file-header", WorkerBinary.Path);
        var sections = await ToolAsync("readelf", "--section-headers", "--wide", WorkerBinary.Path);

        Assert.Matches(@"Type:\s+EXEC\b", header);
        Assert.DoesNotContain(".hydrated", sections, StringComparison.Ordinal);
    }

    /// <summary>Offsets, past the start, of the ELF executables a file embeds (x86-64 or aarch64, type EXEC or DYN).</summary>
    private static List<int> EmbeddedExecutables(byte[] image)
    {
        var found = new List<int>();
        ReadOnlySpan<byte> magic = [0x7f, (byte)'E', (byte)'L', (byte)'F', 2, 1, 1];
        for (var at = image.AsSpan(1).IndexOf(magic) + 1; at > 0; at = NextAfter(image, at, magic))
        {
            if (at + 20 <= image.Length)
            {
                var type = BinaryPrimitives.ReadUInt16LittleEndian(image.AsSpan(at + 16));
                var machine = BinaryPrimitives.ReadUInt16LittleEndian(image.AsSpan(at + 18));
                if (type is 2 or 3 && machine is 62 or 183)
                {
                    found.Add(at);
                }
            }
        }

        return found;
    }

    private static int NextAfter(byte[] image, int at, ReadOnlySpan<byte> magic)
    {
        var next = image.AsSpan(at + 1).IndexOf(magic);
        return next < 0 ? -1 : at + 1 + next;
    }

    /// <summary>The GLIBC_x.y versions of the file's dynamic symbols (objdump -T), none for a static file.</summary>
    private static async Task<List<Version>> GlibcVersionsAsync(string file)
    {
        var symbols = await ToolAsync("objdump", "-T", file, allowFailure: true);
        return GlibcVersion().Matches(symbols).Select(match => Version.Parse(match.Groups[1].Value)).Distinct().ToList();
    }

    private static async Task<string> ToolAsync(string tool, string option, string file, bool allowFailure = false) =>
        await ToolAsync(tool, [option], file, allowFailure);

    private static async Task<string> ToolAsync(string tool, string option1, string option2, string file) =>
        await ToolAsync(tool, [option1, option2], file, allowFailure: false);

    private static async Task<string> ToolAsync(string tool, string[] options, string file, bool allowFailure)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        var result = await Cli.Wrap(tool).WithArguments([.. options, file]).WithValidation(CommandResultValidation.None).ExecuteBufferedAsync(deadline.Token);
        // objdump -T of a static file says "not a dynamic object" and fails: it has no versions.
        Assert.True(result.ExitCode == 0 || allowFailure, $"{tool} {string.Join(' ', options)} {file}: exit {result.ExitCode}\n{result.StandardError}");
        return result.StandardOutput;
    }

    [GeneratedRegex(@"\bGLIBC_(\d+\.\d+(?:\.\d+)?)\b")]
    private static partial Regex GlibcVersion();
}
