using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MtlsAuthServer.Tests.Infrastructure;

namespace MtlsAuthServer.Tests.Proxy;

/// <summary>
/// The edge an operator writes from the README alone, missing two lines of the shipped file: its public (discovery)
/// block passes on a client's X-SSL-Client-Cert, and neither block forwards Host. The app must stay safe without them
/// (issue 12 items 1 and 2): no token through the public block, and discovery still advertises the configured URLs.
/// </summary>
public sealed class CarelessNginxEdgeSpecs : IDisposable
{
    private readonly ShippedNginxEdge _edge = new(
        settings => settings.AddTlsClient("payments", "tls_client_auth_subject_dn", "CN=payments,O=Test Org"),
        new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["proxy_set_header X-SSL-Client-Cert \"\";"] = "# (the line that clears a client's X-SSL-Client-Cert was left out)",
            ["proxy_set_header Host $http_host;"] = "# (Host not forwarded: nginx sends its upstream name)",
        });

    [Theory]
    [InlineData("token")]
    [InlineData("introspect")]
    [InlineData("revoke")]
    public async Task A_request_without_a_certificate_carrying_another_clients_certificate_gets_nothing_through_the_public_block(string path)
    {
        using var payments = _edge.Pki.IssueClient("CN=payments,O=Test Org");
        using var client = MtlsHttpClient.Create(_edge.Pki, clientCertificate: null);
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_edge.PublicEdge, path))
        {
            Content = OAuth.Form(("grant_type", "client_credentials"), ("client_id", "payments"), ("token", "x")),
        };
        request.Headers.TryAddWithoutValidation("X-SSL-Client-Cert", ForwardedHeaderValues.NginxEscaped(payments));

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Empty(_edge.Host.Logs.WithEventId(4000));
    }

    [Fact]
    public async Task Discovery_through_the_edge_advertises_the_configured_urls_whatever_host_reaches_the_app()
    {
        using var client = MtlsHttpClient.Create(_edge.Pki, clientCertificate: null);

        using var response = await client.GetAsync(new Uri(_edge.PublicEdge, ".well-known/oauth-authorization-server"));
        var metadata = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}\n{_edge.Nginx.ErrorLog}");
        Assert.Equal(_edge.PublicEdge.AbsoluteUri, metadata.GetProperty("issuer").GetString());
        Assert.Equal(new Uri(_edge.PublicEdge, ".well-known/jwks").AbsoluteUri, metadata.GetProperty("jwks_uri").GetString());
        Assert.Equal(new Uri(_edge.MtlsEdge, "token").AbsoluteUri, metadata.GetProperty("token_endpoint").GetString());
        Assert.DoesNotContain("mtls_auth_server", metadata.GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_mtls_block_still_gives_the_client_its_bound_token()
    {
        using var payments = _edge.Pki.IssueClient("CN=payments,O=Test Org");
        using var client = MtlsHttpClient.Create(_edge.Pki, payments);

        using var response = await client.RequestTokenAsync(_edge.MtlsEdge, "payments");

        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}\n{_edge.Nginx.ErrorLog}");
    }

    public void Dispose() => _edge.Dispose();
}
