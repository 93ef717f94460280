namespace WorkerNode.IntegrationTests.Client;

/// <summary>
/// The load tests start a hundred workers: they run alone, never beside other tests, so that the
/// machine's two cores are theirs. Filter them out with <c>--filter Category!=Load</c>.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class LoadCollection
{
    public const string Name = "Load";
}
