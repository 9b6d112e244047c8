using System.Net;
using MtlsAuthServer.Tests.Infrastructure;

namespace MtlsAuthServer.Tests.TokenEndpoint;

/// <summary>CRL revocation at the token endpoint, against CRLs served over HTTP on loopback by the test.</summary>
public sealed class RevocationSpecs : IAsyncLifetime
{
    private StaticHttpServer _crlServer = null!;
    private TestPki _pki = null!;

    public async Task InitializeAsync()
    {
        _crlServer = await StaticHttpServer.StartAsync();
        _pki = TestPki.Create(crlBase: _crlServer.BaseUri);
        _crlServer.Serve("root.crl", _pki.RootCrl());
    }

    public async Task DisposeAsync()
    {
        await _crlServer.DisposeAsync();
        _pki.Dispose();
    }

    [Fact]
    public async Task A_certificate_not_on_the_crl_is_accepted()
    {
        _crlServer.Serve("issuing.crl", _pki.IssuingCrl());
        using var host = StartHost(softFail: false);
        using var certificate = _pki.IssueClient("CN=payments,O=Test Org");
        using var client = host.CreateMtlsClient(certificate);

        using var response = await client.RequestTokenAsync("payments");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task A_revoked_certificate_is_refused()
    {
        using var certificate = _pki.IssueClient("CN=payments,O=Test Org");
        _crlServer.Serve("issuing.crl", _pki.IssuingCrl(certificate));
        using var host = StartHost(softFail: false);
        using var client = host.CreateMtlsClient(certificate);

        using var response = await client.RequestTokenAsync("payments");

        await OAuth.AssertRejectedAsync(response, host.Logs, "certificate_revoked", certificate);
    }

    [Fact]
    public async Task A_revoked_intermediate_revokes_every_client_below_it()
    {
        using var certificate = _pki.IssueClient("CN=payments,O=Test Org");
        _crlServer.Serve("issuing.crl", _pki.IssuingCrl());
        _crlServer.Serve("root.crl", _pki.Root.CreateCrl(
            [Pki.RevokedCertificate.For(_pki.Issuing.Certificate, TestPki.Now.AddMinutes(-1))], new System.Numerics.BigInteger(2),
            TestPki.Now.AddMinutes(-1), TestPki.Now.AddDays(1)));
        using var host = StartHost(softFail: false);
        using var client = host.CreateMtlsClient(certificate);

        using var response = await client.RequestTokenAsync("payments");

        await OAuth.AssertRejectedAsync(response, host.Logs, "certificate_revoked", certificate);
    }

    [Fact]
    public async Task A_crl_signed_by_another_key_is_not_believed()
    {
        using var certificate = _pki.IssueClient("CN=payments,O=Test Org");
        using var impostor = TestPki.Create();
        // Same issuer name, not revoked in it, but signed by an impostor CA: must not count as "good".
        _crlServer.Serve("issuing.crl", impostor.IssuingCrl());
        using var host = StartHost(softFail: false);
        using var client = host.CreateMtlsClient(certificate);

        using var response = await client.RequestTokenAsync("payments");

        await OAuth.AssertRejectedAsync(response, host.Logs, "revocation_unknown", certificate);
    }

    [Fact]
    public async Task An_unreachable_crl_fails_closed_by_default()
    {
        using var certificate = _pki.IssueClient("CN=payments,O=Test Org");
        // Nothing served at issuing.crl: the distribution point answers 404.
        using var host = StartHost(softFail: false);
        using var client = host.CreateMtlsClient(certificate);

        using var response = await client.RequestTokenAsync("payments");

        await OAuth.AssertRejectedAsync(response, host.Logs, "revocation_unknown", certificate);
    }

    [Fact]
    public async Task A_slow_crl_endpoint_is_cut_off_by_the_fetch_timeout_and_fails_closed()
    {
        using var certificate = _pki.IssueClient("CN=payments,O=Test Org");
        _crlServer.Serve("issuing.crl", _pki.IssuingCrl());
        _crlServer.Delay = TimeSpan.FromSeconds(20);
        using var host = StartHost(softFail: false);
        using var client = host.CreateMtlsClient(certificate);

        var started = System.Diagnostics.Stopwatch.StartNew();
        using var response = await client.RequestTokenAsync("payments");

        await OAuth.AssertRejectedAsync(response, host.Logs, "revocation_unknown", certificate);
        // Bounded by Revocation:FetchTimeout (1 s in tests), far below the endpoint's 20 s delay.
        Assert.True(started.Elapsed < TimeSpan.FromSeconds(10), $"took {started.Elapsed}");
    }

    [Fact]
    public async Task An_unreachable_crl_is_accepted_and_logged_when_soft_fail_is_configured()
    {
        using var certificate = _pki.IssueClient("CN=payments,O=Test Org");
        using var host = StartHost(softFail: true);
        using var client = host.CreateMtlsClient(certificate);

        using var response = await client.RequestTokenAsync("payments");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(host.Logs.WithEventId(4002), e => e["SerialNumber"] == certificate.SerialNumber);
        Assert.Contains(host.Logs.WithEventId(4004), _ => true);
    }

    [Fact]
    public async Task A_failed_fetch_is_remembered_so_an_unreachable_endpoint_costs_one_attempt()
    {
        using var certificate = _pki.IssueClient("CN=payments,O=Test Org");
        using var host = StartHost(softFail: false);
        using var client = host.CreateMtlsClient(certificate);

        for (var i = 0; i < 3; i++)
        {
            using var response = await client.RequestTokenAsync("payments");
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }

        // The leaf's CRL is checked first; its 404 is remembered for FailureCacheDuration, so three requests
        // cost one fetch (and, failing closed, the root's CRL is never needed).
        Assert.Equal(1, _crlServer.RequestCount);
    }

    private TokenServerHost StartHost(bool softFail) => TokenServerHost.Start(_pki, settings =>
    {
        settings.AddTlsClient("payments", "tls_client_auth_subject_dn", "CN=payments,O=Test Org");
        settings["Revocation:Mode"] = "Online";
        settings["Revocation:SoftFail"] = softFail ? "true" : "false";
        settings["Revocation:FetchTimeout"] = "00:00:01";
    });
}
