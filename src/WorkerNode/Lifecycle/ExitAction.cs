namespace WorkerNode.Lifecycle;

/// <summary>Runs an action when disposed: a `using` that undoes something on every way out.</summary>
internal sealed class ExitAction(Action action) : IDisposable
{
    public void Dispose() => action();
}
