using WorkerNode.Logging;

namespace WorkerNode.Jobmon.Transport;

/// <summary>Where the routes live: service_url joined to route_prefix, whatever slashes either has.</summary>
internal static class JobmonAddress
{
    /// <summary>The base address, ending in '/' so that relative routes resolve below it (http://h:8070 + /api/v3 → http://h:8070/api/v3/).</summary>
    public static Uri Combine(Uri? serviceUrl, string? routePrefix)
    {
        if (serviceUrl is null)
        {
            throw new JobmonConfigurationException("http.service_url is not set: set it in the Jobmon config file or JOBMON__HTTP__SERVICE_URL");
        }

        if (!serviceUrl.IsAbsoluteUri || (serviceUrl.Scheme != Uri.UriSchemeHttp && serviceUrl.Scheme != Uri.UriSchemeHttps))
        {
            throw new JobmonConfigurationException($"http.service_url must be an http:// or https:// URL, not {UrlRedaction.Redact(serviceUrl.OriginalString)}");
        }

        if (serviceUrl.Query.Length > 0 || serviceUrl.Fragment.Length > 0)
        {
            throw new JobmonConfigurationException($"http.service_url must not have a query or a fragment: {UrlRedaction.Redact(serviceUrl)}");
        }

        var prefix = (routePrefix ?? string.Empty).Trim('/');
        var path = serviceUrl.AbsolutePath.TrimEnd('/') + "/" + prefix;
        return new UriBuilder(serviceUrl) { Path = path.TrimEnd('/') + "/" }.Uri;
    }

    /// <summary>The base address as messages show it: credentials masked, no trailing slash.</summary>
    public static string Display(Uri baseAddress) => UrlRedaction.Redact(baseAddress).TrimEnd('/');
}
