namespace WorkerNode.Reporting;

/// <summary>
/// The server a spooled report was meant for, exactly as the worker was configured: a report is
/// only ever resent there, since task instance ids mean nothing on any other server.
/// </summary>
/// <param name="ServiceUrl">http.service_url as given (credentials in it included: the file is private).</param>
/// <param name="RoutePrefix">http.route_prefix.</param>
/// <param name="ExpectedJobmonVersion">--expected_jobmon_version, sent again as client_jobmon_version.</param>
public sealed record ReportDestination(string ServiceUrl, string RoutePrefix, string ExpectedJobmonVersion);
