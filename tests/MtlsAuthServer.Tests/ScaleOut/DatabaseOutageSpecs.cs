using System.Diagnostics;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using MtlsAuthServer.Tests.Infrastructure;

namespace MtlsAuthServer.Tests.ScaleOut;

/// <summary>
/// The PostgreSQL server is stopped and restarted under running instances: the OAuth endpoints answer
/// 503 + Retry-After quickly instead of 500 or hanging, readiness reports it, and the instances recover by
/// themselves. Each spec has its own server, since it stops it.
/// </summary>
public sealed class DatabaseOutageSpecs : IDisposable
{
    private static readonly TimeSpan QuickAnswer = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan RecoveryLimit = TimeSpan.FromSeconds(30);

    private readonly PostgresServer _postgres = new();
    private readonly TestPki _pki = TestPki.Create();
    private readonly SharedDeployment _deployment;
    private readonly X509Certificate2 _payments;
    private readonly X509Certificate2 _resource;

    public DatabaseOutageSpecs()
    {
        _deployment = new SharedDeployment(_postgres.CreateDatabase());
        _payments = _pki.IssueClient("CN=payments,O=Test Org");
        _resource = _pki.IssueClient("CN=sample-resource-api,O=Test Org");
    }

    [Fact]
    public async Task While_the_database_is_down_token_and_introspection_answer_503_with_retry_after_and_both_instances_recover_when_it_returns()
    {
        using var first = StartInstance();
        using var second = StartInstance();
        using var paymentsAtFirst = first.CreateMtlsClient(_payments);
        using var resourceAtSecond = second.CreateMtlsClient(_resource);
        using var management = new HttpClient { Timeout = QuickAnswer };
        var issuedBefore = await paymentsAtFirst.GetAccessTokenAsync("payments", "api:read");

        _postgres.Stop();

        await AssertUnavailableAsync(() => paymentsAtFirst.RequestTokenAsync("payments", "api:read"));
        await AssertUnavailableAsync(() => resourceAtSecond.IntrospectAsync("sample-resource-api", issuedBefore));
        using (var ready = await management.GetAsync(new Uri(second.ManagementUri, "health/ready")))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        }

        Assert.Contains(first.Logs.WithEventId(4400), e => e["Endpoint"] == "token");
        Assert.Contains(second.Logs.WithEventId(4400), e => e["Endpoint"] == "introspection");

        _postgres.Start();

        Assert.True(await EventuallyAsync(async () =>
        {
            using var response = await paymentsAtFirst.RequestTokenAsync("payments", "api:read");
            return response.StatusCode == HttpStatusCode.OK;
        }), "no token within the recovery limit after the database came back");
        Assert.True(await EventuallyAsync(async () =>
        {
            using var response = await resourceAtSecond.IntrospectAsync("sample-resource-api", issuedBefore);
            return response.StatusCode == HttpStatusCode.OK;
        }));
        Assert.True(await resourceAtSecond.IsActiveAsync("sample-resource-api", issuedBefore), "a token issued before the outage must survive it");
        using (var ready = await management.GetAsync(new Uri(second.ManagementUri, "health/ready")))
        {
            Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        }
    }

    [Fact]
    public async Task The_first_requests_after_a_database_restart_succeed_on_new_connections_instead_of_503()
    {
        using var instance = StartInstance();
        using var payments = instance.CreateMtlsClient(_payments);
        using var resource = instance.CreateMtlsClient(_resource);
        var token = await payments.GetAccessTokenAsync("payments", "api:read");
        Assert.True(await resource.IsActiveAsync("sample-resource-api", token)); // both pooled connections in use once

        _postgres.Stop(); // fast shutdown: the server ends every session (57P01); the pooled connections are dead
        _postgres.Start();

        using (var issued = await payments.RequestTokenAsync("payments", "api:read"))
        {
            Assert.Equal(HttpStatusCode.OK, issued.StatusCode);
        }

        Assert.True(await resource.IsActiveAsync("sample-resource-api", token));
        Assert.Empty(instance.Logs.WithEventId(4400));
        // One event per operation that met a dead connection: the request's, and any background work (registry or
        // registration snapshots, certificate sightings) that had taken a pooled connection before the pool was cleared.
        var reconnected = instance.Logs.WithEventId(6102).ToList();
        Assert.NotEmpty(reconnected);
        Assert.All(reconnected, e => Assert.Equal(LogLevel.Warning, e.Level));
    }

    [Fact]
    public async Task A_database_that_stops_answering_gets_503_within_the_timeouts_not_a_hang()
    {
        using var instance = StartInstance();
        using var payments = instance.CreateMtlsClient(_payments);
        using var management = new HttpClient { Timeout = QuickAnswer };
        await payments.GetAccessTokenAsync("payments", "api:read");

        _postgres.Freeze();
        try
        {
            // Database:CommandTimeout and ConnectTimeout are 2 s here (SharedDeployment).
            await AssertUnavailableAsync(() => payments.RequestTokenAsync("payments", "api:read"));
            await AssertUnavailableAsync(() => payments.RequestTokenAsync("payments", "api:read"));
            Assert.Contains(instance.Logs.WithEventId(4400), e => e["ExceptionType"] is "NpgsqlException" or "TimeoutException");
            Assert.Empty(instance.Logs.WithEventId(6102)); // a timeout is never retried: it would double the wait
        }
        finally
        {
            _postgres.Thaw();
        }

        Assert.True(await EventuallyAsync(async () =>
        {
            using var response = await payments.RequestTokenAsync("payments", "api:read");
            return response.StatusCode == HttpStatusCode.OK;
        }), "no token within the recovery limit after the database answered again");
    }

    [Fact]
    public async Task An_instance_started_while_the_database_is_down_comes_up_not_ready_and_becomes_ready_when_it_returns()
    {
        _postgres.Stop();

        using var instance = StartInstance();
        using var payments = instance.CreateMtlsClient(_payments);
        using var management = new HttpClient { Timeout = QuickAnswer };

        using (var ready = await management.GetAsync(new Uri(instance.ManagementUri, "health/ready")))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        }

        await AssertUnavailableAsync(() => payments.RequestTokenAsync("payments", "api:read"));
        Assert.NotEmpty(instance.Logs.WithEventId(4402));
        Assert.Contains(instance.Logs.WithEventId(4401), e => e["Endpoint"] == "token");

        _postgres.Start();

        Assert.True(await EventuallyAsync(async () =>
        {
            using var ready = await management.GetAsync(new Uri(instance.ManagementUri, "health/ready"));
            return ready.StatusCode == HttpStatusCode.OK;
        }), "not ready within the recovery limit after the database came back");
        using var response = await payments.RequestTokenAsync("payments", "api:read");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Single(instance.Logs.WithEventId(4403));
    }

    [Fact]
    public async Task A_configuration_error_found_once_the_database_returns_stops_the_instance()
    {
        using (TokenServerHost.Start(_pki, settings => _deployment.Apply(settings)
            .AddTlsClient("payments", "tls_client_auth_subject_dn", "CN=payments,O=Test Org")
            .Values["ClientRegistry:Source"] = "treasury"))
        {
        }

        _postgres.Stop();
        using var claimant = StartInstance();
        var stopping = claimant.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;
        Assert.False(stopping.IsCancellationRequested);

        _postgres.Start();

        Assert.True(await EventuallyAsync(() => Task.FromResult(stopping.IsCancellationRequested)), "the instance kept running");
        var failure = Assert.Single(claimant.Logs.WithEventId(4404));
        Assert.Equal(LogLevel.Critical, failure.Level);
        Assert.Empty(claimant.Logs.WithEventId(4403));
    }

    public void Dispose()
    {
        _payments.Dispose();
        _resource.Dispose();
        _deployment.Dispose();
        _pki.Dispose();
        _postgres.Dispose();
    }

    private static async Task AssertUnavailableAsync(Func<Task<HttpResponseMessage>> send)
    {
        var clock = Stopwatch.StartNew();
        using var response = await send();
        clock.Stop();

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("temporarily_unavailable", await response.ErrorAsync());
        Assert.NotNull(response.Headers.RetryAfter?.Delta);
        Assert.True(response.Headers.RetryAfter!.Delta!.Value > TimeSpan.Zero);
        Assert.True(clock.Elapsed < QuickAnswer, $"the 503 took {clock.Elapsed}");
    }

    /// <summary>Bounded polling: true as soon as <paramref name="condition"/> holds, false after <see cref="RecoveryLimit"/>.</summary>
    private static Task<bool> EventuallyAsync(Func<Task<bool>> condition) => Eventually.HoldsWithinAsync(condition, RecoveryLimit);

    private TokenServerHost StartInstance() =>
        TokenServerHost.Start(_pki, settings => _deployment.Apply(settings)
            .AddTlsClient("payments", "tls_client_auth_subject_dn", "CN=payments,O=Test Org")
            .AddTlsClient("sample-resource-api", "tls_client_auth_subject_dn", "CN=sample-resource-api,O=Test Org", scope: null));
}
