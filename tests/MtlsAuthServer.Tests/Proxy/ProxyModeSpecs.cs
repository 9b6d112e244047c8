using Microsoft.Extensions.Options;
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
    public void The_refusal_names_the_key_however_late_the_host_is_started()
    {
        // WebApplicationFactory lets Program run on a thread of its own and starts the built host from the test's.
        // A server that validated its configuration only in StartAsync failed there and disposed itself while the
        // test thread was still to ask the host for its services: ObjectDisposedException instead of the key, about
        // one run in three on a busy machine. Holding the test's thread until Program's is done makes that order
        // certain; the configuration error must still be what is reported.
        var exception = Assert.ThrowsAny<Exception>(() => TokenServerHost.Start(_pki, settings =>
        {
            settings["Proxy:Mode"] = "Forwarded";
            settings["Tokens:Issuer"] = "https://auth.example.com/";
            settings["Listeners:MtlsPublicBaseUrl"] = "https://mtls.auth.example.com/";
            settings.BeforeStart = host => WaitUntilDisposed(host);
        }).Dispose());

        Assert.True(exception is OptionsValidationException, exception.ToString());
        Assert.Contains("Proxy:TrustedProxies", exception.Message, StringComparison.Ordinal);
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

    /// <summary>Until Program's thread has failed the start and disposed the host (bounded).</summary>
    private static void WaitUntilDisposed(Microsoft.Extensions.Hosting.IHost host) =>
        Eventually.ReachesAsync(() => Task.FromResult(IsDisposed(host)), disposed => disposed, "Program to dispose the host it failed to start")
            .GetAwaiter().GetResult();

    private static bool IsDisposed(Microsoft.Extensions.Hosting.IHost host)
    {
        try
        {
            host.Services.GetService(typeof(Microsoft.Extensions.Hosting.IHostApplicationLifetime));
            return false;
        }
        catch (ObjectDisposedException)
        {
            return true;
        }
    }

    public void Dispose() => _pki.Dispose();
}
