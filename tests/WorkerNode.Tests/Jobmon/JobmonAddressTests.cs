using WorkerNode.Jobmon;
using WorkerNode.Jobmon.Transport;

namespace WorkerNode.Tests.Jobmon;

/// <summary>service_url + route_prefix, whatever slashes they have.</summary>
public sealed class JobmonAddressTests
{
    [Theory]
    [InlineData("http://h:8070", "/api/v3", "http://h:8070/api/v3/")]
    [InlineData("http://h:8070/", "/api/v3", "http://h:8070/api/v3/")]
    [InlineData("http://h:8070/", "api/v3/", "http://h:8070/api/v3/")]
    [InlineData("http://h:8070/jobmon", "/api/v3", "http://h:8070/jobmon/api/v3/")]
    [InlineData("https://h/jobmon/", "/api/v3/", "https://h/jobmon/api/v3/")]
    [InlineData("http://h:8070", "", "http://h:8070/")]
    [InlineData("http://h:8070/x", null, "http://h:8070/x/")]
    [InlineData("http://u:p@h:8070", "/api/v3", "http://u:p@h:8070/api/v3/")]
    public void Combine(string serviceUrl, string? prefix, string expected) =>
        Assert.Equal(expected, JobmonAddress.Combine(new Uri(serviceUrl), prefix).AbsoluteUri);

    [Fact]
    public void ARouteResolvesBelowTheBase() =>
        Assert.Equal(
            "http://h:8070/jobmon/api/v3/task_instance/12/log_running?client_jobmon_version=3.4.1",
            new Uri(JobmonAddress.Combine(new Uri("http://h:8070/jobmon"), "/api/v3"), "task_instance/12/log_running?client_jobmon_version=3.4.1").AbsoluteUri);

    [Fact]
    public void TheDisplayedAddressHidesCredentialsAndTheTrailingSlash() =>
        Assert.Equal("http://***@h:8070/api/v3", JobmonAddress.Display(JobmonAddress.Combine(new Uri("http://u:secret@h:8070"), "/api/v3")));

    [Theory]
    [InlineData(null)]
    [InlineData("ftp://h/")]
    [InlineData("http://h:8070/?x=1")]
    public void WhatCannotBeABaseIsAConfigurationError(string? serviceUrl) =>
        Assert.Throws<JobmonConfigurationException>(() => JobmonAddress.Combine(serviceUrl is null ? null : new Uri(serviceUrl), "/api/v3"));
}
