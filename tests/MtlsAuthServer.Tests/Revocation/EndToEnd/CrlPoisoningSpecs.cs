using System.Net;
using System.Text;
using MtlsAuthServer.Tests.Infrastructure;

namespace MtlsAuthServer.Tests.Revocation.EndToEnd;

/// <summary>
/// One bad answer at a distribution point must cost the clients of that CA one "unknown" per failure-cache period,
/// never a 500, and must stop mattering once the CRL is fixed (no failed fetch kept as the answer).
/// </summary>
public sealed class CrlPoisoningSpecs : IAsyncLifetime
{
    private RevocationEndpoint _endpoint = null!;

    public async Task InitializeAsync() => _endpoint = await RevocationEndpoint.StartAsync();

    public async Task DisposeAsync() => await _endpoint.DisposeAsync();

    public static TheoryData<string> HostileBodies => ["truncated", "pem-looking-garbage", "garbage", "empty", "html", "a-certificate", "pem-certificate"];

    [Theory]
    [MemberData(nameof(HostileBodies))]
    public async Task A_bad_crl_answer_is_revocation_unknown_and_the_next_fetch_after_the_failure_cache_recovers(string kind)
    {
        using var certificate = _endpoint.Pki.IssueClient(RevocationEndpoint.ClientSubject);
        ServeHostile(kind, certificate);
        using var host = _endpoint.StartHost();
        using var client = host.CreateMtlsClient(certificate);

        using (var refused = await client.RequestTokenAsync(RevocationEndpoint.ClientId, "api:read"))
        {
            await OAuth.AssertRejectedAsync(refused, host.Logs, "revocation_unknown", certificate);
        }

        Assert.Contains(host.Logs.WithEventId(4010), e => e["Source"] == _endpoint.IssuingCrlUri.AbsoluteUri);

        // Fixed at the distribution point; the failure is remembered for FailureCacheDuration (10 s), then retried.
        _endpoint.Crls.Serve("issuing.crl", _endpoint.Pki.IssuingCrl());
        _endpoint.Clock.Offset += TimeSpan.FromSeconds(11);
        await RevocationEndpoint.AssertAcceptedAsync(client);
        Assert.Contains(host.Logs.WithEventId(4012), e => e["Source"] == _endpoint.IssuingCrlUri.AbsoluteUri);
    }

    [Fact]
    public async Task A_failing_distribution_point_makes_readiness_degraded_naming_the_url_until_it_recovers()
    {
        using var certificate = _endpoint.Pki.IssueClient(RevocationEndpoint.ClientSubject);
        ServeHostile("truncated", certificate);
        using var host = _endpoint.StartHost();
        using var client = host.CreateMtlsClient(certificate);
        using (await client.RequestTokenAsync(RevocationEndpoint.ClientId, "api:read"))
        {
        }

        var degraded = await RevocationEndpoint.RevocationHealthAsync(host);
        var whileFailing = await Observability.PrometheusScrape.FetchAsync(host);
        _endpoint.Crls.Serve("issuing.crl", _endpoint.Pki.IssuingCrl());
        _endpoint.Clock.Offset += TimeSpan.FromSeconds(11);
        await RevocationEndpoint.AssertAcceptedAsync(client);
        var recovered = await RevocationEndpoint.RevocationHealthAsync(host);

        Assert.Equal("Degraded", degraded.GetProperty("status").GetString());
        var failing = Assert.Single(degraded.GetProperty("data").GetProperty("failing_sources").EnumerateArray());
        Assert.Equal(_endpoint.IssuingCrlUri.AbsoluteUri, failing.GetProperty("url").GetString());
        Assert.Equal(host.Logs.WithEventId(4010).First()["Failure"], failing.GetProperty("failure").GetString());
        Assert.Equal("Healthy", recovered.GetProperty("status").GetString());
        Assert.Equal(1, whileFailing.One("mtls_auth_revocation_failing_sources", ("source", "crl")).Value);
        Assert.True(whileFailing.Sum("mtls_auth_revocation_fetches_total", ("source", "crl"), ("outcome", "failure")) >= 1);
        var afterRecovery = await Observability.PrometheusScrape.FetchAsync(host);
        Assert.Equal(0, afterRecovery.One("mtls_auth_revocation_failing_sources", ("source", "crl")).Value);
    }

    [Fact]
    public async Task A_failure_nobody_asks_about_again_for_an_hour_no_longer_degrades_readiness()
    {
        using var certificate = _endpoint.Pki.IssueClient(RevocationEndpoint.ClientSubject);
        ServeHostile("garbage", certificate);
        using var host = _endpoint.StartHost();
        using var client = host.CreateMtlsClient(certificate);
        using (await client.RequestTokenAsync(RevocationEndpoint.ClientId, "api:read"))
        {
        }

        var degraded = await RevocationEndpoint.RevocationHealthAsync(host);
        _endpoint.Clock.Offset += TimeSpan.FromMinutes(61);
        var later = await RevocationEndpoint.RevocationHealthAsync(host);

        // A source in use is retried every FailureCacheDuration; one that failed an hour ago belongs to no current client.
        Assert.Equal("Degraded", degraded.GetProperty("status").GetString());
        Assert.Equal("Healthy", later.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Concurrent_requests_during_a_bad_answer_all_get_an_oauth_error_and_one_fetch()
    {
        using var certificate = _endpoint.Pki.IssueClient(RevocationEndpoint.ClientSubject);
        ServeHostile("pem-looking-garbage", certificate);
        using var host = _endpoint.StartHost();
        using var client = host.CreateMtlsClient(certificate);

        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => client.RequestTokenAsync(RevocationEndpoint.ClientId, "api:read")));

        Assert.All(responses, response => Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode));
        Assert.Equal(1, _endpoint.Crls.RequestsFor("issuing.crl"));
        foreach (var response in responses)
        {
            response.Dispose();
        }
    }

    private void ServeHostile(string kind, System.Security.Cryptography.X509Certificates.X509Certificate2 certificate)
    {
        var good = _endpoint.Pki.IssuingCrl();
        switch (kind)
        {
            case "truncated":
                _endpoint.Crls.ServeTruncated("issuing.crl", good[..(good.Length / 2)], declaredExtraBytes: good.Length);
                break;
            case "pem-looking-garbage":
                _endpoint.Crls.Serve("issuing.crl", Hostile.HostileBodies.PemLookingGarbage());
                break;
            case "garbage":
                _endpoint.Crls.Serve("issuing.crl", Hostile.HostileBodies.Garbage(4096, seed: 11));
                break;
            case "empty":
                _endpoint.Crls.Serve("issuing.crl", []);
                break;
            case "html":
                _endpoint.Crls.Serve("issuing.crl", Encoding.UTF8.GetBytes("<html><body>maintenance</body></html>"), "text/html");
                break;
            case "a-certificate":
                _endpoint.Crls.Serve("issuing.crl", certificate.RawData);
                break;
            default:
                _endpoint.Crls.Serve("issuing.crl", Encoding.ASCII.GetBytes(certificate.ExportCertificatePem()));
                break;
        }
    }
}
