using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MtlsAuthServer.Tests.Infrastructure;

namespace MtlsAuthServer.Tests.Proxy;

/// <summary>
/// deploy/nginx/mtls-edge.conf, the configuration users copy, run by a real nginx with only its paths, ports and
/// upstream host adapted to the test: it must give bound tokens, advertise its own URLs and let the app refuse.
/// </summary>
public sealed class ShippedNginxConfigurationSpecs : IDisposable
{
    private readonly ShippedNginxEdge _edge = new(settings => settings.AddTlsClient("payments", "tls_client_auth_subject_dn", "CN=payments,O=Test Org")
        .AddTlsClient("expired", "tls_client_auth_subject_dn", "CN=expired,O=Test Org"));

    [Fact]
    public async Task The_shipped_configuration_forwards_the_certificate_and_the_token_is_bound_to_it()
    {
        using var payments = _edge.Pki.IssueClient("CN=payments,O=Test Org");
        using var client = MtlsHttpClient.Create(_edge.Pki, payments);

        using var response = await client.RequestTokenAsync(_edge.MtlsEdge, "payments");
        using var discovery = await client.GetAsync(new Uri(_edge.PublicEdge, ".well-known/oauth-authorization-server"));

        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}\n{_edge.Nginx.ErrorLog}");
        var token = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("access_token").GetString()!;
        Assert.Equal(OAuth.Thumbprint(payments), OAuth.DecodePayload(token).GetProperty("cnf").GetProperty("x5t#S256").GetString());
        var metadata = await discovery.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(_edge.PublicEdge.AbsoluteUri, metadata.GetProperty("issuer").GetString());
        Assert.Equal(new Uri(_edge.MtlsEdge, "token").AbsoluteUri, metadata.GetProperty("mtls_endpoint_aliases").GetProperty("token_endpoint").GetString());
    }

    [Fact]
    public async Task An_expired_certificate_that_nginx_itself_flags_still_reaches_the_app_and_is_refused_the_oauth_way()
    {
        using var expired = _edge.Pki.IssueClient("CN=expired,O=Test Org", p => p with { NotBefore = TestPki.Now.AddDays(-30), NotAfter = TestPki.Now.AddDays(-1) });
        using var client = MtlsHttpClient.Create(_edge.Pki, expired);

        using var response = await client.RequestTokenAsync(_edge.MtlsEdge, "expired");

        await OAuth.AssertRejectedAsync(response, _edge.Host.Logs, "certificate_expired", expired);
    }

    public void Dispose() => _edge.Dispose();
}
