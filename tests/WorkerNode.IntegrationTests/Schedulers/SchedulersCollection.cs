namespace WorkerNode.IntegrationTests.Schedulers;

/// <summary>
/// The scheduler tests run one at a time: the one-node clusters have two slots, and the timing checks
/// (a limit reached, a kill window) must not queue behind another test's job.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SchedulersCollection
{
    public const string Name = "Schedulers";
}
