using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MtlsAuthServer.Tests.Infrastructure;
using MtlsAuthServer.Tests.Proxy;
using MtlsAuthServer.Tests.TokenEndpoint;

namespace MtlsAuthServer.Tests.Listeners;

/// <summary>
/// Each listener serves only its job (issue 12 item 1): the public listener discovery and JWKS, the management listener
/// health/metrics/CRLs, the mTLS listener the OAuth endpoints. Decided by the socket, never by the request.
/// </summary>
public sealed class ListenerOwnershipSpecs(StandardTokenServer server) : IClassFixture<StandardTokenServer>
{
    public static TheoryData<string> OAuthPaths => ["token", "introspect", "revoke", "token/", "TOKEN"];

    [Theory]
    [MemberData(nameof(OAuthPaths))]
    public async Task The_public_listener_does_not_serve_the_oauth_endpoints(string path)
    {
        using var client = MtlsHttpClient.Create(server.Pki, clientCertificate: null);

        using var response = await client.PostAsync(new Uri(server.Host.PublicUri, path), OAuth.Form(("grant_type", "client_credentials"), ("client_id", "payments")));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("invalid_request", await response.ErrorAsync());
        Assert.Contains(server.Host.Logs.WithEventId(4500), e => e["Problem"] == "wrong_listener");
    }

    [Fact]
    public async Task The_public_listener_serves_discovery_and_jwks_and_nothing_else()
    {
        using var client = MtlsHttpClient.Create(server.Pki, clientCertificate: null);

        foreach (var path in new[] { ".well-known/openid-configuration", ".well-known/oauth-authorization-server", ".well-known/jwks" })
        {
            using var served = await client.GetAsync(new Uri(server.Host.PublicUri, path));
            Assert.Equal(HttpStatusCode.OK, served.StatusCode);
        }

        foreach (var path in new[] { "health/ready", "metrics", "crl/issuing-ca.crl", "anything", "" })
        {
            using var refused = await client.GetAsync(new Uri(server.Host.PublicUri, path));
            Assert.Equal(HttpStatusCode.NotFound, refused.StatusCode);
        }

        using var posted = await client.PostAsync(new Uri(server.Host.PublicUri, ".well-known/jwks"), new StringContent(""));
        Assert.Equal(HttpStatusCode.NotFound, posted.StatusCode);
    }

    [Fact]
    public async Task The_management_listener_does_not_serve_the_oauth_endpoints()
    {
        using var client = new HttpClient { BaseAddress = server.Host.ManagementUri };

        foreach (var path in new[] { "token", "tok%2565n", "introspec%2574" })
        {
            using var response = await client.PostAsync(path, OAuth.Form(("grant_type", "client_credentials"), ("client_id", "payments")));
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        }
    }

    [Fact]
    public async Task The_mtls_listener_serves_the_oauth_endpoints_and_discovery()
    {
        using var certificate = server.Pki.IssueClient("CN=payments, OU=Treasury, O=Test Org");
        using var client = server.Host.CreateMtlsClient(certificate);

        await client.GetAccessTokenAsync("payments", "api:read");
        using var discovery = await client.GetAsync(".well-known/oauth-authorization-server");

        Assert.Equal(HttpStatusCode.OK, discovery.StatusCode);
    }

    /// <summary>
    /// Kestrel decodes <c>%25</c> to <c>%</c>; OpenIddict's own endpoint inference used to decode the rest a second time
    /// and served the token endpoint at <c>/tok%2565n</c> to a client the guards in front of it never saw as a token
    /// request (no body checks, no readiness gate, no listener rule). One path table now decides for both.
    /// </summary>
    [Theory]
    [InlineData("tok%2565n")]
    [InlineData("TOK%2545N/")]
    [InlineData("introspec%2574")]
    [InlineData("revok%2565")]
    public async Task A_path_that_names_an_endpoint_only_after_a_second_decoding_is_served_by_no_endpoint(string path)
    {
        using var certificate = server.Pki.IssueClient("CN=payments, OU=Treasury, O=Test Org");
        using var client = server.Host.CreateMtlsClient(certificate);

        using var response = await client.PostAsync(path, OAuth.Form(("grant_type", "client_credentials"), ("client_id", "payments"), ("scope", "api:read"), ("token", "x")));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.DoesNotContain("access_token", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}

/// <summary>
/// Forwarded mode: a forwarded-certificate header counts only on the mTLS listener. On the public listener it gets no
/// token even from the trusted proxy's address (issue 12 item 1: a no-certificate request to the edge's discovery block,
/// carrying another client's public certificate, got that client's token).
/// </summary>
public sealed class ForwardedCertificateListenerSpecs : IDisposable
{
    private readonly ProxiedTokenServer _server = ProxiedTokenServer.Start();

    [Fact]
    public async Task A_forwarded_certificate_on_the_public_listener_gets_no_token_even_from_the_proxy()
    {
        using var client = SourceAddressHttpClient.Create(_server.Pki, ProxiedTokenServer.TrustedProxy, _server.Host.PublicUri, null);
        using var request = ProxiedTokenServer.TokenRequest("payments", ("X-SSL-Client-Cert", ForwardedHeaderValues.NginxEscaped(_server.Payments)));

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Empty(_server.Host.Logs.WithEventId(4000));
        Assert.Contains(_server.Host.Logs.WithEventId(4100), e => e["Reason"]!.Contains("Public listener does not accept forwarded certificates", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_forwarded_certificate_on_the_public_listener_changes_nothing_for_discovery()
    {
        using var client = SourceAddressHttpClient.Create(_server.Pki, ProxiedTokenServer.TrustedProxy, _server.Host.PublicUri, null);
        using var request = new HttpRequestMessage(HttpMethod.Get, ".well-known/openid-configuration");
        request.Headers.TryAddWithoutValidation("X-SSL-Client-Cert", ForwardedHeaderValues.NginxEscaped(_server.Payments));

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("https://auth.example.com/", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("issuer").GetString());
    }

    [Fact]
    public async Task The_same_header_from_the_proxy_on_the_mtls_listener_is_the_client_certificate()
    {
        using var client = _server.From(ProxiedTokenServer.TrustedProxy);
        using var request = ProxiedTokenServer.TokenRequest("payments", ("X-SSL-Client-Cert", ForwardedHeaderValues.NginxEscaped(_server.Payments)));

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    public void Dispose() => _server.Dispose();
}
