namespace WorkerNode.Harness.Hosting;

/// <summary>How to start a harness: port (0 = any free one), route prefix of the worker API, log verbosity, clock.</summary>
public sealed record HarnessOptions
{
    public const string DefaultRoutePrefix = "/api/v3";

    /// <summary>The loopback port to listen on; 0 picks a free one (kept across a <c>down</c> fault).</summary>
    public int Port { get; init; }

    public string RoutePrefix { get; init; } = DefaultRoutePrefix;

    /// <summary>Log requests and lifecycle at Information level (to stderr); otherwise only warnings and errors.</summary>
    public bool Verbose { get; init; }

    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>
    /// Behave as a server without GET /task/get_ti_details_viz/{task_id} (an older one, or one whose CLI routes are
    /// elsewhere): the route is not mapped, so it answers 404 as any unknown path.
    /// </summary>
    public bool WithoutTaskInstanceDetails { get; init; }

    /// <summary>The load model at start (off by default); <c>PUT /admin/load</c> changes it.</summary>
    public Load.LoadSettings Load { get; init; } = Harness.Load.LoadSettings.Off;
}
