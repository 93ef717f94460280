using WorkerNode.Harness.Faults;
using WorkerNode.Harness.Load;
using WorkerNode.Harness.State;

namespace WorkerNode.Harness.Hosting;

/// <summary>What outlives each web host of one harness: its state, faults, clock and logging (a <c>down</c> fault rebuilds only the host).</summary>
internal sealed record HarnessServices(string RoutePrefix, TaskInstanceStore Store, FaultBook Faults, TimeProvider Time, ILoggerFactory LoggerFactory, LoadModel Load, bool WithoutTaskInstanceDetails = false);
