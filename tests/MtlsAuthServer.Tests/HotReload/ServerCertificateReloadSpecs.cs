using System.Net;
using System.Security.Cryptography.X509Certificates;
using MtlsAuthServer.Pki;
using MtlsAuthServer.Tests.Infrastructure;
using MtlsAuthServer.Tests.Observability;

namespace MtlsAuthServer.Tests.HotReload;

/// <summary>Replacing <c>ServerCertificate:Path</c>/<c>KeyPath</c> on disk while the server runs.</summary>
public sealed class ServerCertificateReloadSpecs : IDisposable
{
    private const string Material = "server_certificate";
    private readonly TestPki _pki = TestPki.Create();
    private readonly TokenServerHost _host;

    public ServerCertificateReloadSpecs() =>
        _host = TokenServerHost.Start(_pki, settings =>
        {
            settings["HotReload:PollInterval"] = "00:00:00.100";
            settings[Eventually.LogReloadsKey] = "Information";
        });

    [Fact]
    public async Task A_replaced_certificate_is_served_to_new_connections_on_both_tls_listeners_without_restart()
    {
        Assert.Equal(OAuth.Thumbprint(_pki.Server), await TlsProbe.ServerThumbprintAsync(_host.MtlsUri, _pki));
        using var replacement = IssueServerCertificate(TestPki.Now.AddDays(90));

        WriteServerFiles(replacement, replacement);

        var expected = OAuth.Thumbprint(replacement);
        await Eventually.ReachesAsync(() => TlsProbe.ServerThumbprintAsync(_host.MtlsUri, _pki), t => t == expected, "the new certificate on the mTLS listener");
        Assert.Equal(expected, await TlsProbe.ServerThumbprintAsync(_host.PublicUri, _pki));
        var reloaded = Assert.Single(await Eventually.ReloadEventsAsync(_host.Logs, 4300, Material, 1));
        Assert.Contains(expected, reloaded.Message, StringComparison.Ordinal);
        var scrape = await PrometheusScrape.FetchAsync(_host);
        Assert.Equal(1, scrape.One("mtls_auth_reloads_total", ("material", Material), ("outcome", "success")).Value);
        Assert.Equal(expected, scrape.One("mtls_auth_certificate_expiry_remaining_seconds", ("kind", "server_certificate"))["x5t_s256"]);
    }

    [Fact]
    public async Task A_garbage_certificate_file_is_rejected_with_an_error_and_the_previous_certificate_stays_in_use()
    {
        PemFiles.WritePublic(_pki.ServerCertificatePath, "-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydGlmaWNhdGU=\n-----END CERTIFICATE-----\n");

        var rejected = Assert.Single(await Eventually.ReloadEventsAsync(_host.Logs, 4301, Material, 1));

        Assert.Equal(Microsoft.Extensions.Logging.LogLevel.Error, rejected.Level);
        Assert.Equal(OAuth.Thumbprint(_pki.Server), await TlsProbe.ServerThumbprintAsync(_host.MtlsUri, _pki));
        Assert.Empty(_host.Logs.WithEventId(4300));
        var scrape = await PrometheusScrape.FetchAsync(_host);
        Assert.Equal(1, scrape.One("mtls_auth_reloads_total", ("material", Material), ("outcome", "rejected")).Value);
    }

    [Fact]
    public async Task A_certificate_whose_key_does_not_match_is_rejected_and_a_later_good_pair_is_taken()
    {
        using var replacement = IssueServerCertificate(TestPki.Now.AddDays(90));
        using var otherKey = IssueServerCertificate(TestPki.Now.AddDays(90));

        WriteServerFiles(replacement, otherKey);

        var rejected = Assert.Single(await Eventually.ReloadEventsAsync(_host.Logs, 4301, Material, 1));
        Assert.Contains("key", rejected["Reason"], StringComparison.OrdinalIgnoreCase);
        Assert.Equal(OAuth.Thumbprint(_pki.Server), await TlsProbe.ServerThumbprintAsync(_host.MtlsUri, _pki));

        WriteServerFiles(replacement, replacement);

        var expected = OAuth.Thumbprint(replacement);
        await Eventually.ReachesAsync(() => TlsProbe.ServerThumbprintAsync(_host.MtlsUri, _pki), t => t == expected, "the good replacement");
    }

    [Fact]
    public async Task An_expired_replacement_is_rejected()
    {
        using var expired = IssueServerCertificate(TestPki.Now.AddMinutes(-5));

        WriteServerFiles(expired, expired);

        var rejected = Assert.Single(await Eventually.ReloadEventsAsync(_host.Logs, 4301, Material, 1));
        Assert.Contains("expired", rejected["Reason"], StringComparison.Ordinal);
        Assert.Equal(OAuth.Thumbprint(_pki.Server), await TlsProbe.ServerThumbprintAsync(_host.MtlsUri, _pki));
    }

    [Fact]
    public async Task Token_requests_keep_working_across_a_swap()
    {
        using var host = TokenServerHost.Start(_pki, settings => settings
            .AddTlsClient("payments", "tls_client_auth_subject_dn", "CN=payments,O=Test Org")
            ["HotReload:PollInterval"] = "00:00:00.100");
        using var certificate = _pki.IssueClient("CN=payments,O=Test Org");
        using var replacement = IssueServerCertificate(TestPki.Now.AddDays(90));

        WriteServerFiles(replacement, replacement);
        var expected = OAuth.Thumbprint(replacement);
        await Eventually.ReachesAsync(() => TlsProbe.ServerThumbprintAsync(host.MtlsUri, _pki), t => t == expected, "the new certificate");

        using var client = host.CreateMtlsClient(certificate);
        using var response = await client.RequestTokenAsync("payments");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    public void Dispose()
    {
        _host.Dispose();
        _pki.Dispose();
    }

    private X509Certificate2 IssueServerCertificate(DateTimeOffset notAfter) =>
        _pki.Issuing.Issue(CertificateProfile.ForServer(
            "CN=localhost", ["localhost"], [IPAddress.Loopback, IPAddress.IPv6Loopback], notAfter.AddDays(-100), notAfter));

    /// <summary>Writes the certificate (with its chain) and the private key of <paramref name="keyOwner"/>, each atomically.</summary>
    private void WriteServerFiles(X509Certificate2 certificate, X509Certificate2 keyOwner)
    {
        PemFiles.WriteCertificates(_pki.ServerCertificatePath, certificate, _pki.Issuing.Certificate);
        PemFiles.WritePrivateKey(_pki.ServerKeyPath, keyOwner);
    }
}
