namespace WorkerNode.Configuration;

/// <summary>What "memory used" means for limits: resident set size, or proportional set size.</summary>
public enum MemoryMetric
{
    Rss,
    Pss,
}
