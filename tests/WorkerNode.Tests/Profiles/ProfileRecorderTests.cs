using WorkerNode.Monitoring;

namespace WorkerNode.Tests.Profiles;

public sealed class ProfileRecorderTests
{
    [Fact]
    public void KeepsEverySampleUntilTheCapacityIsReached()
    {
        var recorder = new ProfileRecorder(capacity: 8);
        for (var i = 1; i <= 8; i++)
        {
            Add(recorder, i, rss: i * 10);
        }

        var rows = recorder.Rows();
        Assert.Equal(8, rows.Length);
        Assert.Equal(Enumerable.Range(1, 8).Select(i => (double)i), rows.Select(row => row.ElapsedSeconds));
        Assert.Equal(1, recorder.SamplesPerRow);
    }

    [Fact]
    public void AnyNumberOfSamplesStaysWithinTheBoundAndKeepsEachIntervalsPeak()
    {
        var recorder = new ProfileRecorder(capacity: 16);
        const int Samples = 86_400;
        for (var i = 1; i <= Samples; i++)
        {
            // One spike, one sample long, in the middle of a long flat task.
            Add(recorder, i, rss: i == 43_210 ? 5_000 : 100, processes: i == 70_000 ? 9 : 1);
        }

        var rows = recorder.Rows();
        Assert.InRange(rows.Length, 8, 17);
        Assert.Equal(Samples, recorder.Samples);
        Assert.Equal(5_000, rows.Max(row => row.RssBytes));
        Assert.Equal(9, rows.Max(row => row.Processes));
        Assert.Equal(Samples, rows[^1].ElapsedSeconds);
        Assert.Equal(Samples, rows[^1].WriteBytes);
        Assert.True(rows.Zip(rows.Skip(1)).All(pair => pair.First.ElapsedSeconds < pair.Second.ElapsedSeconds));
        Assert.Equal(8192, recorder.SamplesPerRow);
    }

    [Fact]
    public void CpuPercentIsTheTreesCpuSinceThePreviousSample()
    {
        var recorder = new ProfileRecorder();
        recorder.Add(TimeSpan.FromSeconds(1), 1, null, null, TimeSpan.FromSeconds(0.5), 1, 0, 0);
        recorder.Add(TimeSpan.FromSeconds(2), 1, null, null, TimeSpan.FromSeconds(2.5), 3, 0, 0);
        recorder.Add(TimeSpan.FromSeconds(2), 1, null, null, TimeSpan.FromSeconds(2.6), 3, 0, 0);

        Assert.Equal([50.0, 200.0, 0.0], recorder.Rows().Select(row => Math.Round(row.CpuPercent, 6)));
    }

    [Fact]
    public void OptionalFiguresStayNullWhenNeverMeasuredAndTakeTheirPeakWhenMerged()
    {
        var recorder = new ProfileRecorder(capacity: 2);
        recorder.Add(TimeSpan.FromSeconds(1), 1, null, 300, TimeSpan.Zero, 1, 0, 0);
        recorder.Add(TimeSpan.FromSeconds(2), 1, null, 100, TimeSpan.Zero, 1, 0, 0);
        recorder.Add(TimeSpan.FromSeconds(3), 1, null, 200, TimeSpan.Zero, 1, 0, 0);

        var rows = recorder.Rows();
        Assert.Equal(2, rows.Length);
        Assert.All(rows, row => Assert.Null(row.PssBytes));
        Assert.Equal([300L, 200L], rows.Select(row => row.CgroupBytes!.Value));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    public void RefusesACapacityThatCannotBeHalved(int capacity) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new ProfileRecorder(capacity));

    private static void Add(ProfileRecorder recorder, int second, long rss, int processes = 1) =>
        recorder.Add(TimeSpan.FromSeconds(second), rss, null, null, TimeSpan.FromSeconds(second * 0.5), processes, second, second);
}
