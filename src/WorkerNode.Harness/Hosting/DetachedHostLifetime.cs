namespace WorkerNode.Harness.Hosting;

/// <summary>
/// A host lifetime that ignores Ctrl+C and SIGTERM: the harness restarts its web host on a <c>down</c> fault,
/// so signals belong to whoever owns the <see cref="HarnessServer"/>, not to one short-lived host.
/// </summary>
internal sealed class DetachedHostLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
