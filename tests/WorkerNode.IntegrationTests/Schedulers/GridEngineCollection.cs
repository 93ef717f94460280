namespace WorkerNode.IntegrationTests.Schedulers;

/// <summary>The Grid Engine tests, one at a time (see <see cref="SlurmCollection"/>).</summary>
[CollectionDefinition(Name)]
public sealed class GridEngineCollection
{
    public const string Name = "GridEngine";
}
