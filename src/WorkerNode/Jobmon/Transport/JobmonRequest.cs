namespace WorkerNode.Jobmon.Transport;

/// <summary>What every attempt of a call sends besides its path: a fresh JSON body, the version query, the structlog header, the bearer header.</summary>
internal sealed record JobmonRequest(HttpContent Body, string ClientJobmonVersion, string StructlogContext, string? Authorization);
