using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MtlsAuthServer.Pki;
using MtlsAuthServer.Tests.Infrastructure;

namespace MtlsAuthServer.Tests.Proxy;

/// <summary>
/// Re-encryption with a proxy identity: nginx connects to the token server over mTLS with its own certificate
/// (<c>proxy_ssl_certificate</c>), pinned in <c>Proxy:RequiredProxyCertificateThumbprints</c>. The trusted address alone
/// is not enough, and the proxy's certificate is never mistaken for the client's.
/// </summary>
public sealed class NginxReencryptionSpecs : IDisposable
{
    private readonly TestPki _pki = TestPki.Create();
    private readonly NginxProxy _nginx;
    private readonly NginxRoute _pinned;
    private readonly NginxRoute _unpinned;
    private readonly TokenServerHost _host;
    private readonly System.Security.Cryptography.X509Certificates.X509Certificate2 _proxy;
    private readonly System.Security.Cryptography.X509Certificates.X509Certificate2 _payments;

    public NginxReencryptionSpecs()
    {
        _proxy = _pki.IssueClient("CN=edge-proxy,O=Test Org");
        _payments = _pki.IssueClient("CN=payments,O=Test Org");
        var proxyCertificate = Path.Combine(_pki.Folder, "edge-proxy.crt");
        var proxyKey = Path.Combine(_pki.Folder, "edge-proxy.key");
        PemFiles.WriteCertificates(proxyCertificate, _proxy, _pki.Issuing.Certificate);
        PemFiles.WritePrivateKey(proxyKey, _proxy);

        _nginx = new NginxProxy(_pki);
        _pinned = _nginx.Route("pinned");
        _unpinned = _nginx.Route("unpinned");
        var publicEdge = _nginx.Route("public");
        _host = TokenServerHost.Start(_pki, settings =>
        {
            settings.AddTlsClient("payments", "tls_client_auth_subject_dn", "CN=payments,O=Test Org")
                .AddTlsClient("edge-proxy", "tls_client_auth_subject_dn", "CN=edge-proxy,O=Test Org");
            NginxEdge.ConfigureBehindProxy(settings, _pinned, publicEdge, NginxEdge.ProxyAddress);
            settings["Proxy:RequiredProxyCertificateThumbprints:0"] = OAuth.Thumbprint(_proxy);
        });

        foreach (var route in new[] { _pinned, _unpinned })
        {
            route.Upstream = _host.MtlsUri;
            route.BindAddress = NginxEdge.ProxyAddress;
        }

        _pinned.ProxyClientCertificate = (proxyCertificate, proxyKey);
        publicEdge.Upstream = _host.PublicUri;
        publicEdge.RequestClientCertificate = false;
        _nginx.Start();
    }

    [Fact]
    public async Task Through_the_proxy_presenting_its_pinned_certificate_the_token_is_bound_to_the_client_not_the_proxy()
    {
        using var client = MtlsHttpClient.Create(_pki, _payments);

        using var response = await client.RequestTokenAsync(_pinned.PublicUri, "payments");

        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}\n{_nginx.ErrorLog}");
        var token = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("access_token").GetString()!;
        Assert.Equal(OAuth.Thumbprint(_payments), OAuth.DecodePayload(token).GetProperty("cnf").GetProperty("x5t#S256").GetString());
    }

    [Fact]
    public async Task Without_a_client_certificate_the_proxys_own_certificate_does_not_authenticate_as_the_proxy()
    {
        using var client = MtlsHttpClient.Create(_pki, null);

        using var response = await client.RequestTokenAsync(_pinned.PublicUri, "edge-proxy");

        await OAuth.AssertRejectedAsync(response, _host.Logs, "no_client_certificate", null);
    }

    [Fact]
    public async Task The_trusted_address_without_the_pinned_proxy_certificate_is_not_believed()
    {
        using var client = MtlsHttpClient.Create(_pki, _payments);

        using var response = await client.RequestTokenAsync(_unpinned.PublicUri, "payments");

        await OAuth.AssertRejectedAsync(response, _host.Logs, "untrusted_forwarded_certificate", null);
        Assert.Contains("presented no TLS client certificate", Assert.Single(_host.Logs.WithEventId(4100))["Reason"], StringComparison.Ordinal);
    }

    public void Dispose()
    {
        _nginx.Dispose();
        _host.Dispose();
        _proxy.Dispose();
        _payments.Dispose();
        _pki.Dispose();
    }
}
