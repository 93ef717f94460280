namespace WorkerNode.IntegrationTests.Schedulers;

/// <summary>
/// The Slurm tests run one at a time, and so do the Grid Engine tests: each one-node cluster has two
/// slots, and the timing checks (a limit reached, a kill window) must not queue behind another test's
/// job. The two clusters are independent, so the two collections run side by side.
/// </summary>
[CollectionDefinition(Name)]
public sealed class SlurmCollection
{
    public const string Name = "Slurm";
}
