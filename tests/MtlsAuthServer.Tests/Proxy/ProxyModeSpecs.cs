using MtlsAuthServer.Tests.Infrastructure;

namespace MtlsAuthServer.Tests.Proxy;

/// <summary>Passthrough is the default and reads no header; Forwarded mode refuses to start half-configured.</summary>
public sealed class ProxyModeSpecs : IDisposable
{
    private readonly TestPki _pki = TestPki.Create();

    [Fact]
    public async Task In_passthrough_mode_a_forwarding_header_is_never_read()
    {
        using var payments = _pki.IssueClient("CN=payments,O=Test Org");
        using var billing = _pki.IssueClient("CN=billing,O=Test Org");
        using var host = TokenServerHost.Start(_pki, settings => settings
            .AddTlsClient("payments", "tls_client_auth_subject_dn", "CN=payments,O=Test Org")
            .AddTlsClient("billing", "tls_client_auth_subject_dn", "CN=billing,O=Test Org"));
        using var client = host.CreateMtlsClient(billing);
        using var request = ProxiedTokenServer.TokenRequest("payments", ("X-SSL-Client-Cert", ForwardedHeaderValues.NginxEscaped(payments)));

        using var response = await client.SendAsync(request);

        // The TLS certificate (billing) is the only one considered: the header with payments' certificate changes nothing.
        await OAuth.AssertRejectedAsync(response, host.Logs, "identity_mismatch", billing);
    }

    [Fact]
    public void Forwarded_mode_without_trusted_proxies_refuses_to_start()
    {
        var exception = Assert.ThrowsAny<Exception>(() => TokenServerHost.Start(_pki, settings =>
        {
            settings["Proxy:Mode"] = "Forwarded";
            settings["Tokens:Issuer"] = "https://auth.example.com/";
            settings["Listeners:MtlsPublicBaseUrl"] = "https://mtls.auth.example.com/";
        }).Dispose());

        Assert.Contains("Proxy:TrustedProxies", exception.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Forwarded_mode_without_the_proxys_external_urls_refuses_to_start()
    {
        var exception = Assert.ThrowsAny<Exception>(() => TokenServerHost.Start(_pki, settings =>
        {
            settings["Proxy:Mode"] = "Forwarded";
            settings["Proxy:TrustedProxies:0"] = "10.0.0.0/24";
        }).Dispose());

        Assert.Contains("Tokens:Issuer", exception.ToString(), StringComparison.Ordinal);
        Assert.Contains("Listeners:MtlsPublicBaseUrl", exception.ToString(), StringComparison.Ordinal);
    }

    public void Dispose() => _pki.Dispose();
}
