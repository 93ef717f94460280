using WorkerNode.Harness.State;

namespace WorkerNode.Harness.Worker;

/// <summary>One worker request that passed its faults and path checks, ready to run against the store.</summary>
/// <param name="Ids">The route's integer path parameters, in order.</param>
internal sealed record WorkerCall(IReadOnlyList<long> Ids, RouteValueDictionary RouteValues, RequestBody Body, TaskInstanceStore Store);
