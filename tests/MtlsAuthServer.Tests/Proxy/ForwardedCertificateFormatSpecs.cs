using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MtlsAuthServer.Tests.Infrastructure;

namespace MtlsAuthServer.Tests.Proxy;

/// <summary>
/// Each header format, sent by the trusted proxy address to the real token server: a well-formed certificate is
/// authenticated and bound like a directly presented one; a broken header is a clear <c>invalid_client</c>, never a 500.
/// </summary>
public sealed class ForwardedCertificateFormatSpecs
{
    [Fact]
    public async Task An_rfc_9440_certificate_and_chain_from_the_trusted_proxy_get_a_bound_token()
    {
        // No configured intermediates: the chain can only be completed with the forwarded Client-Cert-Chain.
        using var server = ProxiedTokenServer.Start(settings => settings["Proxy:HeaderFormat"] = "Rfc9440", withIntermediates: false);
        using var client = server.From(ProxiedTokenServer.TrustedProxy);

        using var withChain = await client.SendAsync(ProxiedTokenServer.TokenRequest("payments",
            ("Client-Cert", ForwardedHeaderValues.ByteSequence(server.Payments)),
            ("Client-Cert-Chain", ForwardedHeaderValues.ByteSequence(server.Pki.Issuing.Certificate))));
        using var withoutChain = await client.SendAsync(ProxiedTokenServer.TokenRequest("billing",
            ("Client-Cert", ForwardedHeaderValues.ByteSequence(server.Billing))));

        await AssertBoundAsync(withChain, server.Payments);
        await OAuth.AssertRejectedAsync(withoutChain, server.Host.Logs, "chain_untrusted", server.Billing);
    }

    [Fact]
    public async Task An_envoy_xfcc_element_from_the_trusted_proxy_gets_a_bound_token()
    {
        using var server = ProxiedTokenServer.Start(settings => settings["Proxy:HeaderFormat"] = "EnvoyXfcc", withIntermediates: false);
        using var client = server.From(ProxiedTokenServer.TrustedProxy);
        var forgedThenReal = ForwardedHeaderValues.XfccElement(server.Billing) + ","
            + ForwardedHeaderValues.XfccElement(server.Payments, [server.Pki.Issuing.Certificate]);

        using var response = await client.SendAsync(ProxiedTokenServer.TokenRequest("payments", ("x-forwarded-client-cert", forgedThenReal)));

        await AssertBoundAsync(response, server.Payments);
    }

    [Fact]
    public async Task The_proxys_own_tls_certificate_is_never_taken_for_the_clients()
    {
        // Re-encryption: the proxy presents its own certificate; without a forwarded one the request has none.
        using var server = ProxiedTokenServer.Start();
        using var client = server.From(ProxiedTokenServer.TrustedProxy, server.Billing);

        using var response = await client.RequestTokenAsync("billing");

        await OAuth.AssertRejectedAsync(response, server.Host.Logs, "no_client_certificate", null);
    }

    [Theory]
    [InlineData("double_encoded")]
    [InlineData("garbage")]
    [InlineData("oversized")]
    [InlineData("not_a_certificate")]
    public async Task An_unusable_header_from_the_trusted_proxy_is_invalid_client_with_a_logged_reason(string kind)
    {
        using var server = ProxiedTokenServer.Start();
        using var client = server.From(ProxiedTokenServer.TrustedProxy);
        var value = kind switch
        {
            "double_encoded" => Uri.EscapeDataString(ForwardedHeaderValues.NginxEscaped(server.Payments)),
            "garbage" => "%%%not-pem%%%",
            "oversized" => ForwardedHeaderValues.NginxEscaped(server.Payments) + new string('A', 17 * 1024),
            _ => Uri.EscapeDataString($"-----BEGIN CERTIFICATE-----\n{Convert.ToBase64String("junk"u8)}\n-----END CERTIFICATE-----\n"),
        };

        using var response = await client.SendAsync(ProxiedTokenServer.TokenRequest("payments", ("X-SSL-Client-Cert", value)));

        await OAuth.AssertRejectedAsync(response, server.Host.Logs, "certificate_malformed", null);
        var logged = Assert.Single(server.Host.Logs.WithEventId(4101));
        Assert.Equal(kind is "garbage" ? "invalid_encoding" : kind is "not_a_certificate" ? "invalid_certificate" : kind, logged["Problem"]);
    }

    private static async Task AssertBoundAsync(HttpResponseMessage response, System.Security.Cryptography.X509Certificates.X509Certificate2 certificate)
    {
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        var token = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("access_token").GetString()!;
        Assert.Equal(OAuth.Thumbprint(certificate), OAuth.DecodePayload(token).GetProperty("cnf").GetProperty("x5t#S256").GetString());
    }
}
