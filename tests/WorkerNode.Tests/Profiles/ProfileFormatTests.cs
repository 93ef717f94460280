using System.Text;
using System.Text.Json;
using WorkerNode.Monitoring;
using WorkerNode.Reporting.Profiles;

namespace WorkerNode.Tests.Profiles;

public sealed class ProfileFormatTests
{
    internal static ProfileHeader Header(string task = "fit_3", int rows = 2) => new()
    {
        Mode = "server",
        Task = task,
        Node = "node1",
        Scheduler = "slurm",
        DistributorId = "77",
        TaskInstanceId = 12,
        RequestedMemoryBytes = 4L << 30,
        MemoryLimitBytes = 3L << 30,
        MemoryMetric = "rss",
        StartedAt = new DateTimeOffset(2026, 12, 3, 8, 0, 0, TimeSpan.Zero),
        EndedAt = new DateTimeOffset(2026, 12, 3, 8, 1, 0, TimeSpan.Zero),
        WallSeconds = 60,
        Status = "done",
        ExitCode = 0,
        CpuUserSeconds = 30,
        CpuSystemSeconds = 0,
        MaxRssBytes = 610L << 20,
        SampleIntervalSeconds = 1,
        Samples = rows,
        Rows = rows,
        SamplesPerRow = 1,
    };

    [Fact]
    public void WhatIsWrittenReadsBackTheSame()
    {
        ProfileSample[] rows =
        [
            new(1.0004, 100, null, 4096, 12.34, 2, 10, 20),
            new(2, 200, 150, null, 99.96, 3, 11, 21),
        ];

        var bytes = ProfileWriter.Serialize(Header(), rows);
        var profile = ProfileReader.Parse("p.jsonl", bytes);

        Assert.Equal(Header(), profile.Header);
        Assert.Equal(
            [new ProfileSample(1, 100, null, 4096, 12.3, 2, 10, 20), new ProfileSample(2, 200, 150, null, 100, 3, 11, 21)],
            profile.Samples);
        var lines = Encoding.UTF8.GetString(bytes).Split('\n');
        Assert.Equal(4, lines.Length);
        Assert.Equal(string.Empty, lines[3]);
        Assert.Equal("{\"t_s\":1,\"rss_bytes\":100,\"cgroup_bytes\":4096,\"cpu_pct\":12.3,\"processes\":2,\"read_bytes\":10,\"write_bytes\":20}", lines[1]);
        using var header = JsonDocument.Parse(lines[0]);
        Assert.Equal("worker-node-profile", header.RootElement.GetProperty("format").GetString());
        Assert.Equal(1, header.RootElement.GetProperty("version").GetInt32());
    }

    [Fact]
    public void UnknownColumnsOfALaterMinorChangeAreSkipped()
    {
        var text = Encoding.UTF8.GetString(ProfileWriter.Serialize(Header(rows: 1), [])) + "{\"gpu\":{\"util\":[1,2]},\"t_s\":3,\"rss_bytes\":5,\"note\":\"x\",\"cpu_pct\":1,\"processes\":1,\"read_bytes\":0,\"write_bytes\":0}\n";

        var profile = ProfileReader.Parse("p.jsonl", Encoding.UTF8.GetBytes(text));

        Assert.Equal([new ProfileSample(3, 5, null, null, 1, 1, 0, 0)], profile.Samples);
    }

    [Theory]
    [InlineData("", "p.jsonl: not a worker-node profile (its first line has no \"format\": \"worker-node-profile\")")]
    [InlineData("not json\n", "p.jsonl: not a worker-node profile (its first line has no \"format\": \"worker-node-profile\")")]
    [InlineData("{\"format\":\"worker-node-profile\",\"version\":2}\n", "p.jsonl: profile format version 2; this worker-node reads version 1 (use a newer worker-node)")]
    [InlineData("{\"format\":\"worker-node-profile\"}\n", "p.jsonl: profile format version missing; this worker-node reads version 1 (use a newer worker-node)")]
    public void AFileThatIsNotAProfileIsNamedAsSuch(string text, string message)
    {
        var exception = Assert.Throws<ProfileFormatException>(() => ProfileReader.Parse("p.jsonl", Encoding.UTF8.GetBytes(text)));

        Assert.Equal(message, exception.Message);
    }

    [Theory]
    [InlineData("[1,2]", "p.jsonl: line 3 is not a JSON object")]
    [InlineData("{\"rss_bytes\":1}", "p.jsonl: line 3 has no \"t_s\"")]
    [InlineData("{\"t_s\":", "p.jsonl: line 3 is not a sample row")]
    public void ABadRowIsNamedByItsLine(string row, string message)
    {
        var text = Encoding.UTF8.GetString(ProfileWriter.Serialize(Header(rows: 1), [new ProfileSample(1, 1, null, null, 0, 1, 0, 0)])) + row + "\n";

        var exception = Assert.Throws<ProfileFormatException>(() => ProfileReader.Parse("p.jsonl", Encoding.UTF8.GetBytes(text)));

        Assert.StartsWith(message, exception.Message, StringComparison.Ordinal);
    }
}
