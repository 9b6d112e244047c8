using System.Net;
using System.Net.Http.Json;
using MtlsAuthServer.Tests.Infrastructure;

namespace MtlsAuthServer.Tests.Proxy;

/// <summary>
/// SECURITY-NOTES, first trap: a forwarded-certificate header is believed only from a trusted proxy. Anyone else who
/// reaches the application directly and sends one is refused, logged (4100) and counted; it never becomes the victim.
/// </summary>
public sealed class UntrustedSenderSpecs
{
    private const string Header = "X-SSL-Client-Cert";

    [Fact]
    public async Task A_forged_header_sent_straight_to_the_app_from_an_untrusted_address_is_refused_and_logged()
    {
        using var server = ProxiedTokenServer.Start();
        using var decisions = server.CollectForwardingDecisions();
        using var authentications = server.Host.CollectAuthentications();
        using var client = server.From(ProxiedTokenServer.Untrusted);
        using var request = ProxiedTokenServer.TokenRequest("payments", (Header, ForwardedHeaderValues.NginxEscaped(server.Payments)));

        using var response = await client.SendAsync(request);

        await OAuth.AssertRejectedAsync(response, server.Host.Logs, "untrusted_forwarded_certificate", null);
        var security = Assert.Single(server.Host.Logs.WithEventId(4100));
        Assert.Equal("127.0.0.1", security["Sender"]);
        Assert.Equal(Header, security["HeaderName"]);
        Assert.Contains(decisions.GetMeasurementSnapshot(), m => (string?)m.Tags["outcome"] == "untrusted_sender");
        Assert.Contains(authentications.GetMeasurementSnapshot(), m => (string?)m.Tags["reason"] == "untrusted_forwarded_certificate");
    }

    [Fact]
    public async Task A_sender_with_its_own_certificate_cannot_pass_as_the_certificate_in_its_forged_header()
    {
        using var server = ProxiedTokenServer.Start();
        using var client = server.From(ProxiedTokenServer.Untrusted, server.Billing);
        using var request = ProxiedTokenServer.TokenRequest("payments", (Header, ForwardedHeaderValues.NginxEscaped(server.Payments)));

        using var response = await client.SendAsync(request);

        // Forwarded mode: neither the header nor the sender's own certificate counts from outside the proxy.
        await OAuth.AssertRejectedAsync(response, server.Host.Logs, "untrusted_forwarded_certificate", null);
        Assert.DoesNotContain(server.Host.Logs.Rejections, e => e["Thumbprint"] == OAuth.Thumbprint(server.Payments));
    }

    [Fact]
    public async Task With_direct_certificates_allowed_the_header_is_still_ignored_and_the_senders_own_certificate_counts()
    {
        using var server = ProxiedTokenServer.Start(settings => settings["Proxy:AllowDirectClientCertificates"] = "true");
        using var client = server.From(ProxiedTokenServer.Untrusted, server.Billing);

        using var asVictim = await client.SendAsync(ProxiedTokenServer.TokenRequest("payments", (Header, ForwardedHeaderValues.NginxEscaped(server.Payments))));
        using var asItself = await client.SendAsync(ProxiedTokenServer.TokenRequest("billing", (Header, ForwardedHeaderValues.NginxEscaped(server.Payments))));

        await OAuth.AssertRejectedAsync(asVictim, server.Host.Logs, "identity_mismatch", server.Billing);
        Assert.Equal(HttpStatusCode.OK, asItself.StatusCode);
        var token = (await asItself.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("access_token").GetString()!;
        Assert.Equal(OAuth.Thumbprint(server.Billing), OAuth.DecodePayload(token).GetProperty("cnf").GetProperty("x5t#S256").GetString());
        Assert.Equal(2, server.Host.Logs.WithEventId(4100).Count());
    }

    [Fact]
    public async Task A_certificate_presented_directly_in_forwarded_mode_is_ignored_by_default()
    {
        using var server = ProxiedTokenServer.Start();
        using var client = server.From(ProxiedTokenServer.Untrusted, server.Billing);

        using var response = await client.RequestTokenAsync("billing");

        await OAuth.AssertRejectedAsync(response, server.Host.Logs, "no_client_certificate", null);
        var ignored = Assert.Single(server.Host.Logs.WithEventId(4102));
        Assert.Equal(OAuth.Thumbprint(server.Billing), ignored["Thumbprint"]);
    }

    [Fact]
    public async Task The_trusted_address_without_the_pinned_proxy_certificate_is_not_a_trusted_proxy()
    {
        var proxyPin = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
        using var server = ProxiedTokenServer.Start(settings => settings["Proxy:RequiredProxyCertificateThumbprints:0"] = proxyPin);
        using var client = server.From(ProxiedTokenServer.TrustedProxy, server.Billing);
        using var request = ProxiedTokenServer.TokenRequest("payments", (Header, ForwardedHeaderValues.NginxEscaped(server.Payments)));

        using var response = await client.SendAsync(request);

        await OAuth.AssertRejectedAsync(response, server.Host.Logs, "untrusted_forwarded_certificate", null);
        Assert.Contains("RequiredProxyCertificateThumbprints", Assert.Single(server.Host.Logs.WithEventId(4100))["Reason"], StringComparison.Ordinal);
    }
}
