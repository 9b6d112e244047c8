using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MtlsAuthServer.Tests.Infrastructure;
using MtlsAuthServer.Tests.TokenEndpoint;

namespace MtlsAuthServer.Tests.Listeners;

/// <summary>
/// Every URL discovery advertises comes from configuration (<c>Tokens:Issuer</c>, <c>Listeners:MtlsPublicBaseUrl</c>),
/// never from the request's Host (issue 12 item 2), and the OAuth endpoints are advertised where a client can
/// authenticate: the mTLS listener.
/// </summary>
public sealed class HostHeaderSpecs(StandardTokenServer server) : IClassFixture<StandardTokenServer>
{
    public static TheoryData<string, string?> Hosts => new()
    {
        { "public", "attacker.example" },
        { "public", "attacker.example:8443" },
        { "public", null },
        { "mtls", "attacker.example" },
    };

    [Theory]
    [MemberData(nameof(Hosts))]
    public async Task Discovery_urls_come_from_configuration_whatever_the_host_header(string listener, string? host)
    {
        using var certificate = server.Pki.IssueClient("CN=payments, OU=Treasury, O=Test Org");
        using var client = MtlsHttpClient.WithAnyHostHeader(server.Pki, listener == "mtls" ? certificate : null);
        var baseUri = listener == "mtls" ? server.Host.MtlsUri : server.Host.PublicUri;
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(baseUri, ".well-known/oauth-authorization-server"));
        if (host is not null)
        {
            request.Headers.Host = host;
        }

        using var response = await client.SendAsync(request);
        var metadata = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var issuer = server.Host.PublicUri.AbsoluteUri;
        var mtls = server.Host.MtlsUri;
        Assert.Equal(issuer, metadata.GetProperty("issuer").GetString());
        Assert.Equal(new Uri(server.Host.PublicUri, ".well-known/jwks").AbsoluteUri, metadata.GetProperty("jwks_uri").GetString());
        Assert.Equal(new Uri(mtls, "token").AbsoluteUri, metadata.GetProperty("token_endpoint").GetString());
        Assert.Equal(new Uri(mtls, "introspect").AbsoluteUri, metadata.GetProperty("introspection_endpoint").GetString());
        Assert.Equal(new Uri(mtls, "revoke").AbsoluteUri, metadata.GetProperty("revocation_endpoint").GetString());
        Assert.Equal(new Uri(mtls, "token").AbsoluteUri, metadata.GetProperty("mtls_endpoint_aliases").GetProperty("token_endpoint").GetString());
        Assert.DoesNotContain("attacker.example", metadata.GetRawText(), StringComparison.Ordinal);
    }
}
