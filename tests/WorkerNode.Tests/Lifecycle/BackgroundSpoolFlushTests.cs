using WorkerNode.Jobmon;
using WorkerNode.Lifecycle;
using WorkerNode.Logging;
using WorkerNode.Tests.Reporting;
using WorkerNode.Tests.Support;

namespace WorkerNode.Tests.Lifecycle;

/// <summary>
/// The worker's background flush: a send starts only while the budget has room for its whole timeout, a send in
/// flight is never cut short by the budget or the worker's exit, and the exit never hangs on it.
/// </summary>
public sealed class BackgroundSpoolFlushTests : IDisposable
{
    private readonly SpoolFiles _files = new();
    private readonly WorkerLog _log = new(new MemoryStream(), LogLevel.Debug, LogFormat.Text, TimeProvider.System);
    private readonly StoppedClock _clock = new();

    public void Dispose() => _files.Dispose();

    [Theory(Timeout = 30_000)]
    [InlineData(1, 3)]
    [InlineData(3, 2)]
    public async Task A_send_starts_only_while_the_budget_has_room_for_its_whole_timeout(int requestTimeoutSeconds, int expectedSends)
    {
        for (var id = 1; id <= 3; id++)
        {
            _files.Add(id);
        }

        // Each send takes 4 s of the 10 s budget: after two, 2 s are left, room for a 1 s send but not a 3 s one.
        var sender = new FakeSender((envelope, _) =>
        {
            _clock.Advance(TimeSpan.FromSeconds(4));
            return Task.FromResult(envelope.TargetStatus);
        })
        { RequestTimeout = TimeSpan.FromSeconds(requestTimeoutSeconds) };

        await using (var background = BackgroundSpoolFlush.Start(_files.Spool, sender, SpoolFiles.Server, _log, _clock))
        {
            await background.Completion.WaitAsync(TimeSpan.FromSeconds(20));
        }

        Assert.Equal(expectedSends, sender.Sent.Count);
        Assert.Equal(3 - expectedSends, _files.Spool.Candidates().Count);
    }

    [Fact(Timeout = 30_000)]
    public async Task The_workers_exit_waits_for_a_send_in_flight_instead_of_cutting_it_short()
    {
        _files.Add(12);
        var answer = new TaskCompletionSource<TaskInstanceStatus>(TaskCreationOptions.RunContinuationsAsynchronously);
        var inFlight = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var cut = false;
        var sender = new FakeSender(async (_, token) =>
        {
            inFlight.SetResult();
            using var registration = token.Register(() => cut = true);
            return await answer.Task.WaitAsync(token);
        })
        { RequestTimeout = TimeSpan.FromSeconds(20) };

        var background = BackgroundSpoolFlush.Start(_files.Spool, sender, SpoolFiles.Server, _log, _clock);
        await inFlight.Task.WaitAsync(TimeSpan.FromSeconds(20));
        var exit = background.DisposeAsync().AsTask();

        // Longer than the exit's grace alone, well within the send's own timeout: the send must still be waited for.
        await Task.Delay(BackgroundSpoolFlush.ExitGrace + TimeSpan.FromMilliseconds(500));
        answer.SetResult(TaskInstanceStatus.Done);
        await exit.WaitAsync(TimeSpan.FromSeconds(20));

        Assert.False(cut, "the send in flight was cancelled");
        Assert.Empty(_files.Names());
    }

    [Fact(Timeout = 30_000)]
    public async Task The_workers_exit_is_bounded_even_when_a_send_ignores_its_cancellation()
    {
        var file = _files.Add(12);
        var never = new TaskCompletionSource<TaskInstanceStatus>();
        var inFlight = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var sender = new FakeSender((_, _) =>
        {
            inFlight.SetResult();
            return never.Task;
        })
        { RequestTimeout = TimeSpan.FromMilliseconds(100) };

        var background = BackgroundSpoolFlush.Start(_files.Spool, sender, SpoolFiles.Server, _log, _clock);
        await inFlight.Task.WaitAsync(TimeSpan.FromSeconds(20));

        // The bound is the send's timeout plus two graces; the 20 s here only stops a hung test.
        await background.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(20));

        Assert.Single(sender.Sent);
        Assert.DoesNotContain(Path.GetFileName(file), _files.Names());
    }

    [Fact(Timeout = 30_000)]
    public async Task Without_a_spool_nothing_is_started()
    {
        var sender = new FakeSender((envelope, _) => Task.FromResult(envelope.TargetStatus));

        await BackgroundSpoolFlush.Start(null, sender, SpoolFiles.Server, _log, _clock).DisposeAsync();

        Assert.Empty(sender.Sent);
    }
}
